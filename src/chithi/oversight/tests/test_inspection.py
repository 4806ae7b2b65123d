"""Inspection and supervision: the life of a case, and the bad input of issue 12 refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chithi.campaigns.models import TaskStatus
from chithi.core.models import AuditEntry, Notification
from chithi.oversight import services
from chithi.oversight.models import Case, CaseKind, CaseStatus, Remedy, RemedyStatus
from chithi.oversight.tests import factories

pytestmark = pytest.mark.django_db


def test_a_case_from_decision_to_closing(world):
    admin = world.user("admin")
    case = factories.case(world)
    assert case.time_limit_days == 20  # the ward level's setting
    assert case.register == "inspection" and case.year == 2026
    case = services.submit_self_report(actor=world.user("cell_secretary"), case=case, text="Chi bộ tự kiểm tra")
    case = services.conclude_case(actor=world.user("secretary"), case=case, findings="F", conclusions="C",
                                  concluded_on=dt.date(2026, 3, 20))
    remedy = services.add_recommendation(actor=admin, case=case, recommendation="Khắc phục",
                                         deadline=dt.date(2026, 5, 1))
    assert remedy.owner_unit == world.cell_a1
    remedy = services.report_remedy(actor=world.user("cell_secretary"), remedy=remedy, report="Đã làm")
    # the inspected unit cannot close its own remedial work: the inspecting unit verifies
    with pytest.raises(ValidationError):
        services.verify_remedy(actor=world.user("cell_secretary"), remedy=remedy)
    services.verify_remedy(actor=world.user("secretary"), remedy=remedy)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert AuditEntry.objects.filter(object_id=str(case.pk), content_type__model="case").count() >= 4


def test_decision_number_once_per_register_and_year(world):
    factories.case(world, number="12-QĐ/ĐU")
    before = Case.objects.count()
    with pytest.raises(ValidationError, match="đã dùng"):
        factories.case(world, number="12-QĐ/ĐU", inspected=world.cell_a2)
    assert Case.objects.count() == before
    # another register (supervision), another year or another unit: free
    factories.case(world, number="12-QĐ/ĐU", kind=CaseKind.REGULAR_SUPERVISION)
    factories.case(world, number="12-QĐ/ĐU", decided_on=dt.date(2027, 1, 5))
    factories.case(world, number="12-QĐ/ĐU", inspecting=world.ward_b, inspected=world.cell_b1)


@pytest.mark.parametrize("number", ["12", "QĐ-12", "12/QĐ-ĐU", "12-qđ/đu", ""])
def test_decision_number_in_party_format(world, number):
    with pytest.raises(ValidationError, match="thể thức"):
        factories.case(world, number=number)


def test_inspection_outside_the_inspecting_units_scope_is_refused(world):
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        factories.case(world, inspecting=world.ward_a, inspected=world.cell_b1)
    # and a unit the actor has no rights on is not theirs to inspect from
    with pytest.raises(PermissionDenied):
        factories.case(world, inspecting=world.ward_b, inspected=world.cell_b1, actor=world.user("secretary"))
    assert not Case.objects.exists()


def test_remedial_deadline_before_the_conclusion_is_refused(world):
    case = factories.concluded_case(world)
    with pytest.raises(ValidationError, match="trước ngày kết luận"):
        services.add_recommendation(actor=world.user("admin"), case=case, recommendation="X",
                                    deadline=dt.date(2026, 3, 1))
    assert not Remedy.objects.exists()


def test_recommendation_needs_conclusions_first(world):
    with pytest.raises(ValidationError, match="ghi kết luận trước"):
        services.add_recommendation(actor=world.user("admin"), case=factories.case(world), recommendation="X",
                                    deadline=dt.date(2026, 6, 1))


def test_extension_at_most_a_third(world):
    case = factories.case(world)  # 20 days: at most 6 more
    case = services.extend_case(actor=world.user("admin"), case=case, days=4, reason="Chờ hồ sơ")
    with pytest.raises(ValidationError, match="tối đa 6 ngày"):
        services.extend_case(actor=world.user("admin"), case=case, days=3, reason="Thêm")
    case.refresh_from_db()
    assert case.extension_days == 4
    assert case.due_on == case.starts_on + dt.timedelta(days=24)


def test_time_limit_is_a_setting_per_level(world, settings):
    settings.OVERSIGHT_TIME_LIMIT_DAYS = {"ward_committee": 30}
    assert factories.case(world).time_limit_days == 30


def test_overdue_remedial_work_escalates_once(world):
    remedy = factories.remedy(world)
    assert services.escalate_overdue(today=dt.date(2026, 7, 1)) == 1
    assert services.escalate_overdue(today=dt.date(2026, 7, 2)) == 0
    remedy.refresh_from_db()
    assert remedy.escalated_on == dt.date(2026, 7, 1) and remedy.status == RemedyStatus.OPEN
    assert Notification.objects.filter(dedupe_key=f"oversight-remedy-{remedy.pk}").exists()


def test_directive_inspection_pulls_the_units_figures(world):
    factories.tasks_2025(world.cell_a1, [(dt.date(2025, 9, 1), TaskStatus.DONE, dt.date(2025, 8, 1)),
                                         (dt.date(2025, 10, 1), TaskStatus.PLANNED, None)])
    case = services.pull_evidence(actor=world.user("secretary"), case=factories.case(world))
    assert case.evidence["tasks"]["total"] == 2
    assert case.evidence["tasks"]["on_time"] == 1 and case.evidence["tasks"]["late"] == 1
    assert {"meetings", "practices", "issues"} <= set(case.evidence)
    supervision = factories.case(world, kind=CaseKind.THEMATIC_SUPERVISION)
    with pytest.raises(ValidationError):
        services.pull_evidence(actor=world.user("admin"), case=supervision)


def test_self_report_is_the_inspected_units(world):
    case = factories.case(world)
    with pytest.raises(PermissionDenied):
        services.submit_self_report(actor=world.user("other_secretary"), case=case, text="X")
    with pytest.raises(PermissionDenied):  # a viewer is not among the authorised roles
        services.submit_self_report(actor=world.user("viewer"), case=case, text="X")

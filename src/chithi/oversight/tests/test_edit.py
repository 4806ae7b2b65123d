"""Editing programmes, their items and cases: offered only when the policy allows, audited, and bad input refused
with a clear message and nothing written (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chithi.core.models import AuditEntry
from chithi.oversight import services
from chithi.oversight.models import Case, CaseKind, Programme, ProgrammeItem
from chithi.oversight.tests import factories

pytestmark = pytest.mark.django_db


def _programme(world) -> Programme:
    return services.create_programme(actor=world.user("admin"), organisation=world.ward_a, year=2026,
                                     title="Chương trình kiểm tra 2026")


def _item(world, programme: Programme) -> ProgrammeItem:
    return services.add_item(actor=world.user("admin"), programme=programme, target_unit=world.cell_a1,
                             kind=CaseKind.DIRECTIVE, content="Thực hiện Chỉ thị 05", quarter=2)


def _audits(obj) -> int:
    return AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name).count()


def test_programme_edit_is_audited_and_the_year_stays_unique(world):
    programme = _programme(world)
    services.create_programme(actor=world.user("admin"), organisation=world.ward_a, year=2027, title="2027")
    before = _audits(programme)
    programme = services.update_programme(actor=world.user("secretary"), programme=programme, year=2026,
                                          title="Chương trình sửa", number="01-CTr/ĐU")
    assert _audits(programme) == before + 1
    with pytest.raises(ValidationError, match="đã có chương trình"):
        services.update_programme(actor=world.user("secretary"), programme=programme, year=2027, title="X")
    programme.refresh_from_db()
    assert (programme.year, programme.title) == (2026, "Chương trình sửa")
    with pytest.raises(PermissionDenied):
        services.update_programme(actor=world.user("other_secretary"), programme=programme, year=2026, title="Y")


def test_an_item_is_edited_until_its_case_opens(world):
    programme = _programme(world)
    item = _item(world, programme)
    item = services.update_item(actor=world.user("secretary"), item=item, target_unit=world.cell_a2,
                                kind=CaseKind.THEMATIC_SUPERVISION, content="Giám sát chuyên đề", quarter=3)
    assert item.quarter == 3 and _audits(item) == 2
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        services.update_item(actor=world.user("secretary"), item=item, target_unit=world.cell_b1,
                             kind=item.kind, content="X", quarter=3)
    item.refresh_from_db()
    assert item.target_unit == world.cell_a2 and item.content == "Giám sát chuyên đề"
    services.open_case(actor=world.user("secretary"), item=item, inspecting=world.ward_a,
                       inspected_unit=world.cell_a2, kind=item.kind, decision_number="3-QĐ/ĐU",
                       decided_on=dt.date(2026, 7, 1), signatory="Bí thư", subject="Giám sát",
                       period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                       starts_on=dt.date(2026, 7, 2))
    item = ProgrammeItem.objects.get(pk=item.pk)
    with pytest.raises(ValidationError, match="đã mở"):
        services.update_item(actor=world.user("secretary"), item=item, target_unit=world.cell_a2,
                             kind=item.kind, content="Z", quarter=4)


def test_case_edit_keeps_the_decision_number_once_per_register_and_term(world):
    factories.case(world, number="7-QĐ/ĐU")
    case = factories.case(world, number="8-QĐ/ĐU")
    with pytest.raises(ValidationError, match="đã dùng"):
        services.update_case(actor=world.user("secretary"), case=case, decision_number="7-QĐ/ĐU")
    with pytest.raises(ValidationError, match="thể thức"):
        services.update_case(actor=world.user("secretary"), case=case, decision_number="tám")
    with pytest.raises(ValidationError, match="trước khi"):
        services.update_case(actor=world.user("secretary"), case=case, period_start=dt.date(2026, 1, 1),
                             period_end=dt.date(2025, 1, 1))
    case.refresh_from_db()
    assert case.decision_number == "8-QĐ/ĐU" and case.period_start == dt.date(2025, 7, 1)
    # the same number in another term is free: the year follows the decision's date
    case = services.update_case(actor=world.user("secretary"), case=case, decision_number="7-QĐ/ĐU",
                                decided_on=dt.date(2027, 1, 4), starts_on=dt.date(2027, 1, 5),
                                team=[world.person_a1])
    case.refresh_from_db()
    assert (case.decision_number, case.year) == ("7-QĐ/ĐU", 2027)
    assert list(case.team.all()) == [world.person_a1]
    assert AuditEntry.objects.filter(object_id=str(case.pk), content_type__model="case").count() == 3


def test_a_concluded_case_is_not_edited(world):
    case = factories.concluded_case(world)
    with pytest.raises(ValidationError, match="đã có kết luận"):
        services.update_case(actor=world.user("admin"), case=case, subject="Khác")


def test_edit_pages_offer_only_what_the_policy_allows(world, client):
    programme = _programme(world)
    item = _item(world, programme)
    case = factories.case(world)
    client.force_login(world.user("secretary"))
    page = client.get(programme.get_absolute_url()).content.decode()
    assert reverse("oversight:programme_edit", args=[programme.pk]) in page
    assert reverse("oversight:item_edit", args=[item.pk]) in page
    assert reverse("oversight:case_edit", args=[case.pk]) in client.get(case.get_absolute_url()).content.decode()
    response = client.post(reverse("oversight:case_edit", args=[case.pk]), {
        "decision_number": "x", "decided_on": "2026-03-02", "signatory": "B", "subject": "S",
        "period_start": "2025-07-01", "period_end": "2025-12-31", "starts_on": "2026-03-02"})
    assert response.status_code == 200 and "thể thức" in response.content.decode()
    assert Case.objects.get(pk=case.pk).decision_number == case.decision_number
    response = client.post(reverse("oversight:item_edit", args=[item.pk]), {
        "target_unit": world.cell_a1.pk, "kind": CaseKind.DIRECTIVE, "content": "Nội dung mới", "quarter": 4})
    assert response.status_code == 302 and ProgrammeItem.objects.get(pk=item.pk).quarter == 4
    # the inspected cell sees its case but does not edit it; another ward does not see it at all
    client.force_login(world.user("cell_secretary"))
    assert reverse("oversight:case_edit", args=[case.pk]) not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(reverse("oversight:case_edit", args=[case.pk])).status_code == 302
    client.force_login(world.user("other_secretary"))
    assert client.get(reverse("oversight:case_edit", args=[case.pk])).status_code == 404
    assert client.get(reverse("oversight:programme_edit", args=[programme.pk])).status_code == 404

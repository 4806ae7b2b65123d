"""API writes go through the same services and policy as the pages: scoped (404 outside), refused with the
policy's reason (400), nothing half-written (issue 12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from chithi.oversight import services
from chithi.oversight.models import Case, CaseKind, Criterion, EvaluationStatus, Level, Remedy, Score
from chithi.oversight.tests import factories

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _item(world):
    programme = services.create_programme(actor=world.user("admin"), organisation=world.ward_a, year=2026,
                                          title="Chương trình 2026")
    return services.add_item(actor=world.user("admin"), programme=programme, target_unit=world.cell_a1,
                             kind=CaseKind.DIRECTIVE, content="Thực hiện Chỉ thị 05", quarter=1)


CASE_BODY = {"decision_number": "21-QĐ/ĐU", "decided_on": "2026-03-02", "signatory": "Bí thư Đảng ủy",
             "period_start": "2025-07-01", "period_end": "2025-12-31", "starts_on": "2026-03-03"}


def test_a_case_from_a_programme_item(world):
    item = _item(world)
    response = _api(world.user("secretary")).post("/api/oversight-cases/", {**CASE_BODY, "item": item.pk},
                                                  format="json")
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.item, case.inspected_unit, case.kind) == (item, world.cell_a1, CaseKind.DIRECTIVE)
    assert case.subject == "Thực hiện Chỉ thị 05"
    # the same item again: refused with the reason, nothing written
    response = _api(world.user("secretary")).post("/api/oversight-cases/", {**CASE_BODY, "item": item.pk,
                                                                            "decision_number": "22-QĐ/ĐU"},
                                                  format="json")
    assert response.status_code == 400 and "item" in response.json()
    assert Case.objects.count() == 1


def test_a_case_from_an_item_outside_scope_does_not_exist(world):
    item = _item(world)
    response = _api(world.user("other_secretary")).post("/api/oversight-cases/", {**CASE_BODY, "item": item.pk},
                                                        format="json")
    assert response.status_code == 400 and "item" in response.json()
    assert not Case.objects.exists()


def test_a_used_decision_number_is_refused(world):
    factories.case(world, number="21-QĐ/ĐU")
    response = _api(world.user("secretary")).post("/api/oversight-cases/", {**CASE_BODY, "item": _item(world).pk},
                                                  format="json")
    assert response.status_code == 400 and "đã dùng" in str(response.json()["decision_number"])


def test_findings_then_recommendations(world):
    case = factories.case(world)
    api = _api(world.user("secretary"))
    response = api.post(f"/api/oversight-cases/{case.pk}/recommendations/",
                        {"recommendation": "X", "deadline": "2026-06-01"}, format="json")
    assert response.status_code == 400 and "kết luận trước" in str(response.json())
    response = api.post(f"/api/oversight-cases/{case.pk}/findings/",
                        {"findings": "Có hạn chế", "conclusions": "Cần khắc phục", "concluded_on": "2026-03-20"},
                        format="json")
    assert response.status_code == 200 and response.json()["status"] == "concluded"
    response = api.post(f"/api/oversight-cases/{case.pk}/recommendations/",
                        {"recommendation": "Bổ sung", "deadline": "2026-03-01"}, format="json")
    assert response.status_code == 400 and "deadline" in response.json()
    response = api.post(f"/api/oversight-cases/{case.pk}/recommendations/",
                        {"recommendation": "Bổ sung", "deadline": "2026-06-01", "owner_person": world.person_a1.pk},
                        format="json")
    assert response.status_code == 201 and Remedy.objects.get().owner_person == world.person_a1
    # another ward, a viewer: the case does not exist for them
    for name in ("other_secretary", "viewer"):
        response = _api(world.user(name)).post(f"/api/oversight-cases/{case.pk}/findings/", {
            "findings": "F", "conclusions": "C", "concluded_on": "2026-03-20"}, format="json")
        assert response.status_code == 404
    # the inspected cell sees the case but does not conclude it
    response = _api(world.user("cell_secretary")).post(f"/api/oversight-cases/{case.pk}/recommendations/",
                                                       {"recommendation": "Y", "deadline": "2026-06-01"},
                                                       format="json")
    assert response.status_code == 400
    assert Remedy.objects.count() == 1


def test_a_score_with_its_reason_then_approval(world):
    evaluation = factories.evaluation(world, factories.round_(world))
    criterion = Criterion.objects.filter(frame=evaluation.round.frame, forms__contains=",collective,").first()
    api = _api(world.user("cell_secretary"))
    url = f"/api/evaluations/{evaluation.pk}/scores/"
    response = api.post(url, {"criterion": criterion.pk, "points": "1"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api.post(url, {"criterion": criterion.pk, "points": str(criterion.max_points + 1), "reason": "x"},
                        format="json")
    assert response.status_code == 400
    response = api.post(url, {"criterion": criterion.pk, "points": "1", "reason": "Chưa đủ minh chứng"},
                        format="json")
    assert response.status_code == 200, response.content
    assert Score.objects.get(evaluation=evaluation, criterion=criterion).points == Decimal(1)
    assert _api(world.user("other_secretary")).post(url, {"criterion": criterion.pk, "points": "2",
                                                          "reason": "y"}, format="json").status_code == 404
    # approval: only once proposed, only by the level above
    approve = f"/api/evaluations/{evaluation.pk}/approve/"
    assert _api(world.user("secretary")).post(approve, {"level": Level.DONE}, format="json").status_code == 400
    services.propose(actor=world.user("cell_secretary"), evaluation=evaluation, level=Level.DONE)
    response = _api(world.user("cell_secretary")).post(approve, {"level": Level.DONE}, format="json")
    assert response.status_code == 400 and "cấp trên" in str(response.json())
    response = _api(world.user("secretary")).post(approve, {"level": Level.DONE}, format="json")
    assert response.status_code == 200 and response.json()["status"] == EvaluationStatus.APPROVED
    response = api.post(url, {"criterion": criterion.pk, "points": "2", "reason": "z"}, format="json")
    assert response.status_code == 400 and "không thể sửa" in str(response.json())


def test_a_member_scores_their_own_form_through_the_api(world):
    from chithi.orgs.tests.factories import UserFactory

    evaluation = factories.evaluation(world, factories.round_(world), person=world.person_a1)
    criterion = Criterion.objects.filter(frame=evaluation.round.frame, forms__contains=",2A,").first()
    member = UserFactory(username="member", person=world.person_a1)
    response = _api(member).post(f"/api/evaluations/{evaluation.pk}/scores/",
                                 {"criterion": criterion.pk, "points": "0", "reason": "Tự nhận thấy chưa đạt"},
                                 format="json")
    assert response.status_code == 200, response.content
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


def test_the_self_report_uploaded_through_the_api(world, settings, tmp_path):
    """The page's upload, through the API: multipart, the same service and checks, scoped."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chithi.oversight.models import SelfReportFile

    settings.MEDIA_ROOT = tmp_path
    case = factories.case(world)
    url = f"/api/oversight-cases/{case.pk}/self-report/"
    response = _api(world.user("cell_secretary")).post(
        url, {"text": "Chi bộ đã tự kiểm tra.", "upload": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report")},
        format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    attached = SelfReportFile.objects.get(case=case)
    assert body["self_report"] == "Chi bộ đã tự kiểm tra." and body["self_report_on"]
    assert body["self_report_files"] == [{"id": attached.pk, "original_name": "bao-cao.pdf", "size": attached.size,
                                          "content_type": "application/pdf", "url": attached.get_absolute_url()}]
    # a file the checks refuse: the reason, and nothing written, not even the text
    response = _api(world.user("cell_secretary")).post(
        url, {"text": "Bản khác", "upload": SimpleUploadedFile("bao-cao-2.pdf", b"MZ not a pdf")},
        format="multipart")
    assert response.status_code == 400 and "upload" in str(response.json())
    assert SelfReportFile.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).self_report == "Chi bộ đã tự kiểm tra."
    # outside the case's scope the case does not exist
    response = _api(world.user("other_secretary")).post(
        url, {"upload": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")}, format="multipart")
    assert response.status_code == 404
    assert SelfReportFile.objects.filter(case=case).count() == 1

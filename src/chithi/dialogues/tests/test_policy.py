"""One policy per aggregate (dialogues.policy): the issue page offers, the API lists and the services accept the
same steps, so nothing is offered and then refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from chithi.dialogues import policy, services
from chithi.dialogues.models import Issue, IssueStatus

from .factories import IssueFactory, api_client

pytestmark = pytest.mark.django_db


def _in_status(world: Any, category: Any, status: str) -> Issue:
    """An issue brought to `status` through the services, handled by ward A where it was assigned."""
    admin = world.user("admin")
    issue = IssueFactory(category=category)
    steps = {
        IssueStatus.RECEIVED: [],
        IssueStatus.ACCEPTED: [lambda i: services.accept_issue(actor=admin, issue=i)],
        IssueStatus.ASSIGNED: [lambda i: services.assign_issue(actor=admin, issue=i, unit=world.ward_a)],
        IssueStatus.IN_PROGRESS: [lambda i: services.assign_issue(actor=admin, issue=i, unit=world.ward_a),
                                  lambda i: services.start_issue(actor=admin, issue=i)],
        IssueStatus.ANSWERED: [lambda i: services.assign_issue(actor=admin, issue=i, unit=world.ward_a),
                               lambda i: services.answer_issue(actor=admin, issue=i, answer="Đã xử lý.")],
        IssueStatus.REOPENED: [lambda i: services.assign_issue(actor=admin, issue=i, unit=world.ward_a),
                               lambda i: services.answer_issue(actor=admin, issue=i, answer="Đã xử lý."),
                               lambda i: services.reopen_issue(issue=i, reason="Vẫn chưa xong")],
        IssueStatus.CLOSED: [lambda i: services.assign_issue(actor=admin, issue=i, unit=world.ward_a),
                             lambda i: services.answer_issue(actor=admin, issue=i, answer="Đã xử lý."),
                             lambda i: services.close_issue(actor=admin, issue=i)],
        IssueStatus.REJECTED: [lambda i: services.reject_issue(actor=admin, issue=i, reason="Không rõ")],
    }[status]
    for step in steps:
        issue = step(issue)
    return issue


def _valid_body(world: Any, category: Any, step: str, kind: str = "") -> dict[str, Any]:
    """What a user would fill in for the step (an original to merge into, a unit of their own…)."""
    if step == "merge":
        original = services.assign_issue(actor=world.user("admin"), issue=IssueFactory(category=category),
                                         unit=world.ward_a)
        return {"duplicate_of": original.display_code}
    if step == "answer":
        return {"answer": "Đã trả lời."}
    if kind:
        unit = world.agency if kind == "refer" else world.cell_a1
        return {"kind": kind, "unit": unit.pk, "reason": "Đúng thẩm quyền"}
    return {"reason": "Lý do"}


STATUSES = [IssueStatus.RECEIVED, IssueStatus.ACCEPTED, IssueStatus.ASSIGNED, IssueStatus.IN_PROGRESS,
            IssueStatus.ANSWERED, IssueStatus.REOPENED, IssueStatus.CLOSED, IssueStatus.REJECTED]


@pytest.mark.parametrize("status", STATUSES)
def test_the_page_offers_what_the_api_lists_and_the_service_accepts(world: Any, category: Any, client: Client,
                                                                    status: str) -> None:
    issue = _in_status(world, category, status)
    user = world.user("secretary" if issue.organisation == world.ward_a else "admin")
    client.force_login(user)
    page = client.get(issue.get_absolute_url())
    offered = {s["step"] for s in page.context["steps"]}
    api = APIClient()
    api.force_authenticate(user)
    listed = set(api.get(f"/api/issues/{issue.pk}/").json()["actions"])
    assert listed == policy.ISSUE.allowed(user, issue)
    kinds = [kind for kind in policy.ASSIGN_KINDS if kind in listed]
    assert offered == (listed - set(kinds)) | ({"assign"} if kinds else set())
    if kinds:  # the assignment form offers exactly the kinds the policy allows, and no other
        assert [value for value, _label in page.context["assign_form"].fields["kind"].choices] == kinds
    # Every step the API lists goes through (each on a fresh issue in the same status).
    for step in listed:
        fresh = _in_status(world, category, status)
        body = _valid_body(world, category, "assign" if step in policy.ASSIGN_KINDS else step,
                           kind=step if step in policy.ASSIGN_KINDS else "")
        path = "assign" if step in policy.ASSIGN_KINDS else step
        response = api.post(f"/api/issues/{fresh.pk}/{path}/", body, format="json")
        assert response.status_code == 200, (status, step, response.json())
    # And every other step is refused on "status", by the page and by the API alike.
    for step in set(policy.ISSUE_STEPS) - listed - set(policy.ASSIGN_KINDS):
        refused = api.post(f"/api/issues/{issue.pk}/{step}/", _valid_body(world, category, step),
                           format="json")
        assert refused.status_code == 400 and "status" in refused.json(), (status, step)


def test_refer_is_not_offered_for_a_received_issue_and_posting_it_is_refused(world: Any, category: Any,
                                                                             client: Client) -> None:
    issue = IssueFactory(category=category)
    client.force_login(world.user("admin"))
    form = client.get(issue.get_absolute_url()).context["assign_form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["assign"]
    response = client.post(f"{issue.get_absolute_url()}assign/", {
        "assign-kind": "refer", "assign-unit": world.agency.pk, "assign-reason": "Thuộc công an"})
    assert response.status_code == 400 and response.context["assign_form"].errors["kind"]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RECEIVED and issue.organisation == world.city
    with pytest.raises(ValidationError) as err:
        services.assign_issue(actor=world.user("admin"), issue=issue, unit=world.agency, kind="refer", reason="x")
    assert "status" in err.value.message_dict


def test_a_viewer_is_offered_no_step(world: Any, category: Any, client: Client) -> None:
    issue = _in_status(world, category, IssueStatus.ASSIGNED)
    client.force_login(world.user("viewer"))
    page = client.get(issue.get_absolute_url())
    assert page.status_code == 200 and page.context["steps"] == []
    assert "/start/" not in page.content.decode()


def test_the_tracking_page_offers_reopening_and_rating_only_when_the_policy_allows(world: Any, category: Any,
                                                                                  client: Client) -> None:
    issue = _in_status(world, category, IssueStatus.IN_PROGRESS)
    page = client.get(issue.get_public_url())
    assert page.context["reopen_form"] is None and page.context["rate_form"] is None
    assert client.post(f"{issue.get_public_url()}mo-lai/", {"reason": "Chưa xong"}).status_code == 400
    answered = _in_status(world, category, IssueStatus.ANSWERED)
    page = client.get(answered.get_public_url())
    assert page.context["reopen_form"] is not None and page.context["rate_form"] is not None
    assert policy.CITIZEN.allowed(None, answered) == {"reopen", "rate"}


def test_open311_client_buttons_follow_the_policy(world: Any, client: Client) -> None:
    app, _key = api_client()
    client.force_login(world.user("admin"))
    page = client.get("/phan-anh-kien-nghi/open311/").content.decode()
    assert f"/open311/{app.pk}/disable/" in page and f"/open311/{app.pk}/enable/" not in page
    client.post(f"/phan-anh-kien-nghi/open311/{app.pk}/disable/")
    page = client.get("/phan-anh-kien-nghi/open311/").content.decode()
    assert f"/open311/{app.pk}/enable/" in page and f"/open311/{app.pk}/disable/" not in page
    # Disabling it again is refused with the reason, and changes nothing.
    response = client.post(f"/phan-anh-kien-nghi/open311/{app.pk}/disable/", follow=True)
    assert "Ứng dụng này đang tạm dừng." in response.content.decode()

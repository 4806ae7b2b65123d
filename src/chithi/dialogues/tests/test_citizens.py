"""Issue 10, citizens' issues: intake reaches a person, routing follows the ward, assignment covers the
actor's sub-tree and officers, the code is searchable as printed, the citizen is kept informed by e-mail,
the public rate limit spares desks and NATs, the rating box starts empty, answers are signed by who answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chithi.core.models import Notification
from chithi.core.permissions import Role
from chithi.core.testing import client_for, run_queued_tasks
from chithi.dialogues import services
from chithi.dialogues.forms import AssignForm, RateForm
from chithi.dialogues.models import Issue, IssueChannel, IssueStatus
from chithi.orgs import services as org_services
from chithi.orgs.tests.factories import UserFactory, superuser

from .factories import IssueCategoryFactory, IssueFactory

pytestmark = pytest.mark.django_db


def _form(category: Any, **extra: Any) -> dict[str, Any]:
    data = {"category": category.pk, "description": "Đèn đường hỏng nhiều ngày, khu phố tối om",
            "address": "", "reporter_name": "", "reporter_contact": "", "website": ""}
    data.update(extra)
    return data


def _notified(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


# --- 1. a new issue reaches the people who handle intake for its unit ----------------------------------


def test_web_issue_notifies_the_wards_handlers_in_app_and_by_email_from_the_worker(
        world: Any, category: Any, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    assert client.post("/gop-y/", _form(category, area_unit=world.ward_a.pk)).status_code == 302
    issue = Issue.objects.get()
    # The request stored the issue and queued the notice with it; nobody is told until the worker runs.
    queued = DBTaskResult.objects.filter(task_path="chithi.dialogues.tasks.notify_new_issue")
    assert [row.args_kwargs["args"] for row in queued] == [[issue.pk]]
    assert not Notification.objects.exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_queued_tasks()
    assert callbacks  # the e-mails leave once the worker's transaction commits
    for name in ("secretary", "staff"):
        assert any(issue.display_code in title for title in _notified(world.user(name))), name
    # Viewers and other units are not asked to act.
    for name in ("viewer", "leader", "other_secretary", "cell_secretary"):
        assert not _notified(world.user(name)), name
    to = {address for message in mail.outbox for address in message.to}
    assert {world.user("secretary").email, world.user("staff").email} <= to
    # A task run twice (a worker killed after its work, before marking it done) tells nobody twice.
    told, mailed = Notification.objects.count(), len(mail.outbox)
    assert services.notify_received(issue.pk) == 0
    assert Notification.objects.count() == told and len(mail.outbox) == mailed


def test_a_rolled_back_submission_queues_no_notice(world: Any, category: Any) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_issue(actor=None, channel=IssueChannel.WEB, category=category, area_unit=world.ward_a,
                              description="Đèn đường hỏng nhiều ngày ở kiệt 5")
        raise RuntimeError("the request failed after the service")
    assert not Issue.objects.exists() and not DBTaskResult.objects.exists()


def test_staff_channels_queue_no_notice(world: Any, category: Any) -> None:
    services.submit_issue(actor=world.user("secretary"), channel=IssueChannel.STAFF, category=category,
                          organisation=world.ward_a, description="Cán bộ ghi nhận: cống tắc ở tổ 3")
    assert Issue.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_json_intake_and_open311_notify_too(world: Any, category: Any, client: Client) -> None:
    body = {"category": category.code, "description": "Vỉa hè bị lấn chiếm buôn bán", "area_unit": world.ward_b.pk}
    assert client.post("/gop-y/api/", body, content_type="application/json").status_code == 201
    run_queued_tasks()
    assert _notified(world.user("other_secretary"))
    services.submit_issue(actor=None, channel=IssueChannel.OPEN311, category=category,
                          description="Cống thoát nước bị tắc cạnh chợ")  # no ward: the intake unit
    run_queued_tasks()
    assert _notified(world.user("admin")) and not _notified(world.user("viewer"))


def test_referral_reaches_the_nearest_unit_with_handlers(world: Any, category: Any) -> None:
    # The agency has only a viewer: the notice walks up to the city, whose administrator can act on it.
    viewer = UserFactory(username="agency-viewer")
    org_services.assign_role(actor=superuser(), user=viewer, organisation=world.agency, role=Role.VIEWER)
    issue = IssueFactory(category=category, area_unit=world.ward_a)
    secretary = world.user("secretary")
    services.assign_issue(actor=secretary, issue=issue, unit=world.ward_a)
    services.assign_issue(actor=secretary, issue=issue, unit=world.agency, kind="refer", reason="Thuộc công an")
    assert any(issue.display_code in t for t in _notified(world.user("admin")))
    assert not _notified(viewer)


# --- 2. a web issue lands in the ward the citizen chose ---------------------------------------------


def test_web_issue_lands_in_the_chosen_ward_and_the_tracking_page_says_so(
        world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/", _form(category, area_unit=world.ward_a.pk))
    issue = Issue.objects.get()
    assert issue.organisation == world.ward_a
    page = client.get(response["Location"]).content.decode()
    assert "Đảng ủy phường Đông Thanh" in page


def test_a_category_with_its_own_unit_keeps_it(world: Any, client: Client) -> None:
    security = IssueCategoryFactory(name="An ninh trật tự", code="an-ninh", default_unit=world.agency)
    client.post("/gop-y/", _form(security, area_unit=world.ward_a.pk))
    assert Issue.objects.get().organisation == world.agency


# --- 3. assign covers the sub-tree and its officers; the referring unit keeps reading -------------


def test_assign_offers_the_whole_subtree_and_its_officers(world: Any, category: Any) -> None:
    issue = IssueFactory(category=category, area_unit=world.ward_a)
    secretary = world.user("secretary")
    form = AssignForm(user=secretary, kinds=["assign"])
    units = set(form.fields["unit"].queryset)
    assert {world.ward_a, world.cell_a1, world.cell_a2} <= units
    assert world.ward_b not in units and world.agency not in units  # refer is not offered at this step
    officers = set(form.fields["assignee"].queryset)
    assert world.user("cell_secretary") in officers and world.user("staff") in officers
    assert world.user("other_secretary") not in officers

    services.assign_issue(actor=secretary, issue=issue, unit=world.cell_a1, assignee=world.user("cell_secretary"))
    issue.refresh_from_db()
    assert issue.organisation == world.cell_a1 and issue.assignee == world.user("cell_secretary")
    assert _notified(world.user("cell_secretary"))


def test_assign_page_offers_cells_and_officers(world: Any, category: Any) -> None:
    issue = IssueFactory(category=category, area_unit=world.ward_a)
    client = Client()
    client.force_login(world.user("secretary"))
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "Chi bộ Khu phố 2" in html and "cell_secretary" in html
    response = client.post(issue.get_absolute_url() + "assign/", {
        "assign-kind": "assign", "assign-unit": world.cell_a2.pk, "assign-assignee": ""})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.organisation == world.cell_a2


def test_the_referring_unit_keeps_read_access(world: Any, category: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_public import _jpeg_with_gps

    issue = services.submit_issue(actor=None, channel=IssueChannel.WEB, category=category, area_unit=world.ward_a,
                                  description="Ổ gà lớn giữa đường sau mưa",
                                  photos=[SimpleUploadedFile("o-ga.jpg", _jpeg_with_gps(), "image/jpeg")])
    secretary = world.user("secretary")
    services.assign_issue(actor=secretary, issue=issue, unit=world.ward_a)
    services.assign_issue(actor=secretary, issue=issue, unit=world.ward_b, kind="refer", reason="Địa bàn phường B")
    client = Client()
    client.force_login(secretary)
    page = client.get(issue.get_absolute_url())
    assert page.status_code == 200
    assert 'name="assign-kind"' not in page.content.decode()  # reading only
    assert client.get(f"/phan-anh-kien-nghi/anh/{issue.photos.get().pk}/").status_code == 200
    assert client.post(issue.get_absolute_url() + "start/").status_code == 404
    # A unit that never had it still gets 404.
    other = Client()
    other.force_login(world.user("cell_secretary"))
    assert other.get(issue.get_absolute_url()).status_code == 404


# --- 4. the code as printed finds the issue --------------------------------------------------------


def test_staff_find_an_issue_by_its_printed_code(world: Any, category: Any) -> None:
    issue = IssueFactory(category=category, area_unit=world.ward_a)
    services.assign_issue(actor=world.user("secretary"), issue=issue, unit=world.cell_a1)
    client = Client()
    client.force_login(world.user("secretary"))
    for typed in (issue.display_code, issue.display_code.lower(), f" {issue.display_code} "):
        response = client.get("/phan-anh-kien-nghi/", {"q": typed})
        assert response.status_code in (200, 302), typed
        body = client.get(response["Location"]).content.decode() if response.status_code == 302 else \
            response.content.decode()
        assert issue.get_absolute_url() in body or response.get("Location") == issue.get_absolute_url(), typed
    found = client.get("/tim-kiem/", {"q": issue.display_code.lower()}).content.decode()
    assert issue.get_absolute_url() in found
    # Someone outside the unit finds nothing.
    other = Client()
    other.force_login(world.user("other_secretary"))
    assert issue.get_absolute_url() not in other.get("/tim-kiem/", {"q": issue.display_code}).content.decode()


# --- 5. the citizen who left an e-mail hears of each step --------------------------------------------


@override_settings(SITE_URL="https://chithi.example.vn")
def test_citizen_with_email_gets_the_code_and_each_public_step(
        world: Any, category: Any, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/gop-y/", _form(category, area_unit=world.ward_a.pk,
                                     reporter_contact="0905 111 222, nam@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()  # the handlers' notice
    issue = Issue.objects.get()
    to_citizen = [m for m in mail.outbox if m.to == ["nam@example.vn"]]
    assert len(to_citizen) == 1
    link = f"https://chithi.example.vn/tra-cuu/{issue.display_code}/"
    assert issue.display_code in to_citizen[0].subject + to_citizen[0].body and link in to_citizen[0].body
    staff_mail = [m for m in mail.outbox if m.to == [world.user("secretary").email]]
    assert staff_mail and f"https://chithi.example.vn{issue.get_absolute_url()}" in staff_mail[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_issue(actor=world.user("secretary"), issue=issue, unit=world.cell_a1)
        services.answer_issue(actor=world.user("secretary"), issue=issue, answer="Đã thay bóng đèn.")
    to_citizen = [m for m in mail.outbox if m.to == ["nam@example.vn"]]
    assert len(to_citizen) >= 3  # received, accepted/assigned, answered
    assert all(link in m.body for m in to_citizen)
    assert "Đã thay bóng đèn." in to_citizen[-1].body
    assert all("\n/" not in m.body and " /tra-cuu" not in m.body for m in mail.outbox)


def test_no_email_without_an_address(world: Any, category: Any, client: Client,
                                     django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/gop-y/", _form(category, area_unit=world.ward_a.pk, reporter_contact="0905111222"))
    assert all(m.to != ["0905111222"] for m in mail.outbox)
    assert {a for m in mail.outbox for a in m.to} <= {u.email for u in world.users.values()}


# --- 6. the public rate limit -----------------------------------------------------------------------


@override_settings(DIALOGUES_INTAKE_RATE="1/h", DIALOGUES_INTAKE_ADDRESS_RATE="3/h")
def test_rate_limit_per_device_with_a_higher_ceiling_per_address(world: Any, category: Any) -> None:
    desks = [Client() for _ in range(4)]
    for desk in desks:
        desk.get("/gop-y/")  # the form gives each browser its device cookie
    first = desks[0]
    assert first.post("/gop-y/", _form(category)).status_code == 302
    for _ in range(5):  # refused attempts do not use up the address's quota
        assert first.post("/gop-y/", _form(category)).status_code == 429
    assert desks[1].post("/gop-y/", _form(category)).status_code == 302
    assert desks[2].post("/gop-y/", _form(category)).status_code == 302
    refused = desks[3].post("/gop-y/", _form(category))
    assert refused.status_code == 429  # the address's ceiling
    assert Issue.objects.count() == 3
    html = refused.content.decode()
    assert "thử lại sau" in html
    assert int(refused["Retry-After"]) > 0


@override_settings(DIALOGUES_INTAKE_RATE="1/h", DIALOGUES_INTAKE_ADDRESS_RATE="1/h")
def test_staff_entering_issues_for_residents_are_never_limited(world: Any, category: Any) -> None:
    desk = client_for(Role.STAFF, world.ward_a, username="mot-cua")
    for _ in range(4):
        assert desk.post("/gop-y/", _form(category)).status_code == 302
    assert Issue.objects.count() == 4


@override_settings(DIALOGUES_INTAKE_RATE="1/h", DIALOGUES_INTAKE_ADDRESS_RATE="5/h")
def test_invalid_submissions_do_not_use_the_quota(world: Any, category: Any, client: Client) -> None:
    client.get("/gop-y/")
    assert client.post("/gop-y/", _form(category, description="ngắn")).status_code == 400
    assert client.post("/gop-y/", _form(category)).status_code == 302


# --- 7. rating box, same-day answer ---------------------------------------------------------------


def test_rating_box_starts_empty(world: Any, category: Any, client: Client) -> None:
    assert RateForm().fields["rating"].initial is None
    assert not RateForm({"rating": ""}).is_valid()
    issue = IssueFactory(category=category)
    admin = world.user("admin")
    services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    services.answer_issue(actor=admin, issue=issue, answer="Đã xử lý xong.")
    html = client.get(issue.get_public_url()).content.decode()
    select = html.split('name="rating"')[1].split("</select>")[0]
    assert 'value="5" selected' not in select
    assert select.split("<option")[1].startswith(' value=""')  # the first, shown, choice is empty


def test_same_day_answer_reads_trong_ngay(world: Any, category: Any, client: Client) -> None:
    issue = IssueFactory(category=category)
    admin = world.user("admin")
    services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    services.answer_issue(actor=admin, issue=issue, answer="Đã xử lý xong.")
    html = client.get("/phan-anh/").content.decode()
    assert "trong ngày" in html and "0 ngày làm việc" not in html


# --- 8. answers are signed by the unit that answered -------------------------------------------------


def test_answer_signed_by_the_unit_that_answered(world: Any, category: Any, client: Client) -> None:
    issue = IssueFactory(category=category, area_unit=world.ward_a)
    assert issue.organisation == world.ward_a
    services.assign_issue(actor=world.user("secretary"), issue=issue, unit=world.ward_a)
    services.escalate_overdue(today=issue.answer_due_on + dt.timedelta(days=1))
    issue.refresh_from_db()
    assert issue.escalated_to == world.city
    city_admin = client_for(Role.ADMIN, world.city, username="city-office").user  # type: ignore[attr-defined]
    services.answer_issue(actor=city_admin, issue=issue, answer="Thành ủy đã chỉ đạo xử lý.")
    issue.refresh_from_db()
    assert issue.answered_by_unit == world.city
    html = client.get(issue.get_public_url()).content.decode()
    assert "Thành ủy Đông Hà" in html.split("answer-box")[1]
    # The ward answering its own issue signs as the ward.
    other = IssueFactory(category=category, area_unit=world.ward_a)
    services.assign_issue(actor=world.user("secretary"), issue=other, unit=world.cell_a1)
    services.answer_issue(actor=world.user("secretary"), issue=other, answer="Phường đã xử lý.")
    other.refresh_from_db()
    assert other.answered_by_unit == world.ward_a
    assert timezone.now() - other.answered_at < dt.timedelta(minutes=1)
    assert other.status == IssueStatus.ANSWERED

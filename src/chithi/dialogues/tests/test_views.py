"""Staff pages: scope (inside 200, outside 404) for every view and role, the workflow through the
page, dialogues and Open311 client keys."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chithi.core.models import AuditEntry
from chithi.dialogues import services
from chithi.dialogues.models import ApiClient, Dialogue, Issue, IssueStatus

from .factories import DialogueFactory, IssueFactory

pytestmark = pytest.mark.django_db


def _client(world: Any, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


@pytest.fixture
def ward_issue(world: Any, category: Any) -> Issue:
    issue = IssueFactory(category=category)
    return services.assign_issue(actor=world.user("admin"), issue=issue, unit=world.ward_a)


@pytest.mark.parametrize(("name", "status"), [
    ("admin", 200), ("leader", 200), ("viewer", 200), ("secretary", 200), ("staff", 200),
    ("other_secretary", 404), ("cell_secretary", 404), ("nobody", 404),
])
def test_issue_pages_follow_scope(world: Any, ward_issue: Issue, name: str, status: int) -> None:
    client = _client(world, name)
    assert client.get(f"/phan-anh-kien-nghi/{ward_issue.pk}/").status_code == status
    assert client.get(f"/phan-anh-kien-nghi/{ward_issue.pk}/lich-su/").status_code == status
    queue = client.get("/phan-anh-kien-nghi/", {"unit": world.ward_a.pk})
    assert queue.status_code == status
    if status == 200:
        assert ward_issue.display_code in queue.content.decode()


def test_queue_needs_login_and_hides_other_units(world: Any, ward_issue: Issue) -> None:
    assert Client().get("/phan-anh-kien-nghi/").status_code == 302
    other = _client(world, "other_secretary").get("/phan-anh-kien-nghi/")
    assert other.status_code == 200
    assert ward_issue.display_code not in other.content.decode()


def test_queue_is_sorted_by_due_date_and_filters(world: Any, category: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    old = IssueFactory(category=category, received_at=timezone.now() - dt.timedelta(days=30))
    new = IssueFactory(category=category)
    client = _client(world, "admin")
    page = client.get("/phan-anh-kien-nghi/").content.decode()
    assert page.index(old.display_code) < page.index(new.display_code)
    overdue = client.get("/phan-anh-kien-nghi/", {"state": "overdue"}).content.decode()
    assert old.display_code in overdue and new.display_code not in overdue
    rows = client.get("/phan-anh-kien-nghi/", {"q": new.tracking_code}, HTTP_HX_REQUEST="true")
    assert new.display_code in rows.content.decode() and "<html" not in rows.content.decode()


def test_workflow_through_the_page(world: Any, ward_issue: Issue) -> None:
    client = _client(world, "secretary")
    url = f"/phan-anh-kien-nghi/{ward_issue.pk}/"
    assert client.post(url + "start/", {}).status_code == 302
    response = client.post(url + "answer/", {"answer-answer": ""})
    assert response.status_code == 400
    assert response.context["answer_form"].errors
    assert client.post(url + "answer/", {"answer-answer": "Đã sửa xong đèn."}).status_code == 302
    ward_issue.refresh_from_db()
    assert ward_issue.status == IssueStatus.ANSWERED
    assert client.post(url + "bogus/", {}).status_code == 404
    # A step for an issue out of scope is a 404, and changes nothing.
    assert _client(world, "other_secretary").post(url + "close/", {}).status_code == 404
    assert _client(world, "viewer").post(url + "close/", {}).status_code == 404
    ward_issue.refresh_from_db()
    assert ward_issue.status == IssueStatus.ANSWERED


def test_reject_through_the_page_keeps_the_reason_on_error(world: Any, category: Any) -> None:
    issue = IssueFactory(category=category)
    client = _client(world, "admin")
    response = client.post(f"/phan-anh-kien-nghi/{issue.pk}/merge/", {"merge-duplicate_of": "ZZZZZ-ZZZZZ",
                                                                      "merge-reason": "Giống nhau"})
    assert response.status_code == 400
    assert "Giống nhau" in response.content.decode()
    assert client.post(f"/phan-anh-kien-nghi/{issue.pk}/reject/", {"reject-reason": "Không đủ thông tin"}
                       ).status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REJECTED and issue.status_reason == "Không đủ thông tin"


def test_staff_records_an_issue_for_a_resident(world: Any, category: Any) -> None:
    client = _client(world, "staff")
    response = client.post("/phan-anh-kien-nghi/them/", {
        "channel": "staff", "organisation": world.ward_a.pk, "category": category.pk,
        "description": "Bà con phản ánh qua điện thoại về tiếng ồn", "reporter_name": "Phan Văn Hùng"})
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.channel == "staff" and issue.organisation == world.ward_a and issue.created_by == world.user("staff")
    # A unit outside the staff's scope is not a choice.
    response = client.post("/phan-anh-kien-nghi/them/", {
        "channel": "staff", "organisation": world.ward_b.pk, "category": category.pk,
        "description": "Bà con phản ánh qua điện thoại"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert _client(world, "viewer").get("/phan-anh-kien-nghi/them/").status_code == 404


def test_photo_is_served_only_inside_scope(world: Any, category: Any) -> None:
    from .test_public import _jpeg_with_gps

    photo = SimpleUploadedFile("a.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    issue = IssueFactory(category=category, photos=[photo])
    services.assign_issue(actor=world.user("admin"), issue=issue, unit=world.ward_a)
    pk = issue.photos.get().pk
    assert _client(world, "secretary").get(f"/phan-anh-kien-nghi/anh/{pk}/").status_code == 200
    assert _client(world, "other_secretary").get(f"/phan-anh-kien-nghi/anh/{pk}/").status_code == 404
    assert Client().get(f"/phan-anh-kien-nghi/anh/{pk}/").status_code == 302


def test_dialogue_create_detail_and_scope(world: Any, category: Any) -> None:
    client = _client(world, "secretary")
    response = client.post("/doi-thoai/them/", {
        "organisation": world.ward_a.pk, "title": "Đối thoại về trật tự đô thị", "held_on": "2020-06-20",
        "residential_area": world.cell_a1.pk, "leaders": [world.person_a1.pk], "participants_count": "60",
        "minutes": "Bà con kiến nghị 3 vấn đề.", "place": "Nhà văn hóa khu phố 1",
        "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    assert response.status_code == 302
    dialogue = Dialogue.objects.get()
    assert dialogue.attachments.count() == 1 and AuditEntry.objects.for_object(dialogue).exists()
    issue = IssueFactory(category=category, channel="dialogue", dialogue=dialogue, actor=world.user("secretary"))
    page = client.get(dialogue.get_absolute_url())
    assert issue.display_code in page.content.decode()
    assert _client(world, "other_secretary").get(dialogue.get_absolute_url()).status_code == 404
    attachment = dialogue.attachments.get()
    assert client.get(f"/doi-thoai/tep/{attachment.pk}/").status_code == 200
    assert _client(world, "other_secretary").get(f"/doi-thoai/tep/{attachment.pk}/").status_code == 404
    assert "Đối thoại về trật tự" in client.get("/doi-thoai/").content.decode()
    assert "Đối thoại về trật tự" not in _client(world, "other_secretary").get("/doi-thoai/").content.decode()
    edit = client.post(f"/doi-thoai/{dialogue.pk}/sua/", {"title": "", "held_on": "2020-06-20",
                                                         "participants_count": "60"})
    assert edit.status_code == 200 and "title" in edit.context["form"].errors


def test_dialogue_refuses_a_foreign_leader_and_bad_file(world: Any) -> None:
    client = _client(world, "secretary")
    response = client.post("/doi-thoai/them/", {
        "organisation": world.ward_a.pk, "title": "Đối thoại", "held_on": "2020-06-20",
        "leaders": [world.person_b1.pk], "participants_count": "10"})
    assert response.status_code == 200 and "leaders" in response.context["form"].errors
    dialogue = DialogueFactory(organisation=world.ward_a)
    bad = client.post(dialogue.get_absolute_url(), {"file": SimpleUploadedFile("x.exe", b"MZ", content_type="x")})
    assert bad.status_code == 400 and dialogue.attachments.count() == 0


def test_only_an_administrator_issues_open311_keys(world: Any) -> None:
    admin = _client(world, "admin")
    response = admin.post("/phan-anh-kien-nghi/open311/", {"name": "Ứng dụng Zalo phường"})
    key = response.context["new_key"]
    client = ApiClient.objects.get()
    assert key and client.key_hash != key and key not in str(AuditEntry.objects.for_object(client).get().after)
    assert services.authenticate_api_key(key) == client
    assert _client(world, "secretary").get("/phan-anh-kien-nghi/open311/").status_code == 404
    admin.post(f"/phan-anh-kien-nghi/open311/{client.pk}/disable/")
    assert services.authenticate_api_key(key) is None


def test_org_page_shows_the_issue_panel(world: Any, ward_issue: Issue) -> None:
    page = _client(world, "secretary").get(world.ward_a.get_absolute_url()).content.decode()
    assert "/phan-anh-kien-nghi/?unit=" in page


def test_lists_filter_by_unit_with_its_subtree(world: Any, category: Any) -> None:
    in_a = DialogueFactory(organisation=world.ward_a, title="Đối thoại phường A")
    in_b = DialogueFactory(organisation=world.ward_b, title="Đối thoại phường B")
    admin = _client(world, "admin")
    page = admin.get("/doi-thoai/", {"unit": world.ward_a.pk}).content.decode()
    assert in_a.title in page and in_b.title not in page
    form = admin.get("/doi-thoai/").context["filter"].form
    assert {"q", "unit", "year"} <= set(form.fields)
    cell_issue = IssueFactory(category=category, channel="staff", organisation=world.cell_a1, actor=world.user("admin"))
    own = admin.get("/phan-anh-kien-nghi/", {"unit": world.ward_a.pk}).content.decode()
    subtree = admin.get("/phan-anh-kien-nghi/", {"unit": world.ward_a.pk, "sub": "1"}).content.decode()
    assert cell_issue.display_code not in own and cell_issue.display_code in subtree


def test_transparency_filters_by_kind_and_ward(world: Any, category: Any, client: Client) -> None:
    from .factories import IssueCategoryFactory

    other = IssueCategoryFactory(name="Môi trường", code="moi-truong")
    admin = world.user("admin")
    shown = []
    for cat, ward in ((category, world.ward_a), (other, world.ward_b)):
        issue = services.assign_issue(actor=admin, issue=IssueFactory(category=cat, area_unit=ward), unit=ward)
        shown.append(services.answer_issue(actor=admin, issue=issue, answer=f"Trả lời {cat.code}"))
    by_kind = client.get("/phan-anh/", {"category": "moi-truong"}).content.decode()
    assert "Trả lời moi-truong" in by_kind and "Trả lời trat-tu-do-thi" not in by_kind
    by_ward = client.get("/phan-anh/", {"ward": world.ward_a.pk}).content.decode()
    assert "Trả lời trat-tu-do-thi" in by_ward and "Trả lời moi-truong" not in by_ward


def test_a_dialogue_without_files_says_so(world: Any) -> None:
    """Seen in the demo: the attachments list of a dialogue without files was a bullet with a dash."""
    dialogue = DialogueFactory(organisation=world.ward_a)
    page = _client(world, "secretary").get(dialogue.get_absolute_url()).content.decode()
    assert "Chưa đính kèm tệp nào." in page and "Chưa ghi nhận." in page  # no leaders recorded either
    assert "<li class=\"text-muted\">—</li>" not in page


def test_the_issue_header_names_the_deadline_of_its_stage(world: Any, category: Any) -> None:
    """Seen in the demo: the header read "hạn xử lý 02/12" and the facts below "Hạn tiếp nhận 02/12" for the same
    date; the header now says which deadline it is, as the facts do."""
    issue = IssueFactory(category=category)
    Issue.objects.filter(pk=issue.pk).update(organisation=world.ward_a)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RECEIVED
    client = _client(world, "secretary")
    page = client.get(issue.get_absolute_url()).content.decode()
    # The deadline of the step the page offers ("Thụ lý"): "Đã tiếp nhận · hạn tiếp nhận" read as if the issue
    # were already accepted while that deadline ran out.
    assert f'· hạn thụ lý <span class="">{issue.ack_due_on:%d/%m/%Y}</span>' in page
    assert "hạn xử lý" not in page and "hạn tiếp nhận" not in page.lower()
    accepted = services.accept_issue(actor=world.user("secretary"), issue=issue)
    page = client.get(accepted.get_absolute_url()).content.decode()
    assert f'· hạn trả lời <span class="">{accepted.answer_due_on:%d/%m/%Y}</span>' in page

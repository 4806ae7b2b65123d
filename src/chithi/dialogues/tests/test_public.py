"""The citizen's side: the form at /gop-y/, tracking at /tra-cuu/, answered issues at /phan-anh/."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from chithi.core.models import AuditEntry
from chithi.dialogues import codes, services
from chithi.dialogues.models import Issue, IssueChannel, IssuePhoto, IssueStatus
from chithi.dialogues.public import redact

from .factories import IssueFactory

pytestmark = pytest.mark.django_db


def _form(category: Any, **extra: Any) -> dict[str, Any]:
    data = {"category": category.pk, "description": "Rác thải đổ trộm ở bãi đất trống cạnh chợ",
            "address": "Số 45 Hàm Nghi", "reporter_name": "Trần Văn Nam", "reporter_contact": "0905123456",
            "consent_to_publish": "on", "website": ""}
    data.update(extra)
    return data


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), "red")
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh"  # Make
    exif[0x8825] = {1: "N", 2: (16.0, 49.0, 12.0), 3: "E", 4: (107.0, 5.0, 30.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_citizen_submits_and_sees_tracking_code_at_once(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/", _form(category))
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert response["Location"] == f"/tra-cuu/{issue.display_code}/?moi=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert issue.display_code in page.content.decode()
    assert issue.channel == IssueChannel.WEB
    assert issue.organisation == world.city  # the intake unit
    assert issue.status == IssueStatus.RECEIVED
    assert issue.events.get().kind == "received"
    assert AuditEntry.objects.for_object(issue).count() == 1
    assert len(issue.tracking_code) == codes.LENGTH


def test_tracking_page_shows_no_personal_data(world: Any, category: Any, client: Client) -> None:
    client.post("/gop-y/", _form(category, description="Xin hỏi về hồ sơ, gọi tôi 0905 123 456 hoặc nam@example.vn"))
    issue = Issue.objects.get()
    html = client.get(issue.get_public_url()).content.decode()
    for secret in ["Trần Văn Nam", "0905123456", "Số 45", "Hàm Nghi", "0905 123 456", "nam@example.vn"]:
        assert secret not in html
    assert "Xin hỏi về hồ sơ" in html


def test_script_is_stored_as_text_and_shown_escaped(world: Any, category: Any, client: Client) -> None:
    script = "<script>alert('x')</script> cống bị tắc"
    response = client.post("/gop-y/", _form(category, description=script), follow=True)
    issue = Issue.objects.get()
    assert issue.description == script
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_bad_input_keeps_everything_the_citizen_typed(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/", _form(category, description="ngắn", reporter_name="Lê Thị Mai",
                                            address="Kiệt 7 Trần Hưng Đạo"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lê Thị Mai" in html and "Kiệt 7 Trần Hưng Đạo" in html and "ngắn" in html
    assert "10" in html  # the minimum length is named
    assert not Issue.objects.exists()


def test_oversized_and_missing_fields_are_refused_by_name(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/", {**_form(category, description="x" * 5001), "category": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert "description" in form.errors and "category" in form.errors
    assert not Issue.objects.exists()


def test_honeypot_refuses_and_keeps_input(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/", _form(category, website="http://spam.example"))
    assert response.status_code == 400
    assert "Trần Văn Nam" in response.content.decode()
    assert not Issue.objects.exists()


@override_settings(DIALOGUES_INTAKE_RATE="2/h")
def test_rate_limit_answers_429_in_vietnamese_and_keeps_input(world: Any, category: Any, client: Client) -> None:
    client.get("/gop-y/")  # the form gives the browser its device cookie: the limit is per device
    for _ in range(2):
        assert client.post("/gop-y/", _form(category)).status_code == 302
    response = client.post("/gop-y/", _form(category, reporter_name="Hồ Văn Tư"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Quá nhiều" in html
    assert "Hồ Văn Tư" in html
    assert Issue.objects.count() == 2


def test_csrf_stays_on_for_the_public_form(world: Any, category: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/gop-y/", _form(category)).status_code == 403
    strict.get("/gop-y/")
    token = strict.cookies["csrftoken"].value
    assert strict.post("/gop-y/", {**_form(category), "csrfmiddlewaretoken": token}).status_code == 302


def test_photo_gps_and_exif_are_removed(world: Any, category: Any, client: Client) -> None:
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the test photo really has GPS
    photo = SimpleUploadedFile("anh.jpg", raw, content_type="image/jpeg")
    assert client.post("/gop-y/", {**_form(category), "photos": [photo]}).status_code == 302
    stored = IssuePhoto.objects.get()
    with stored.file.open("rb") as handle:
        cleaned = Image.open(io.BytesIO(handle.read()))
        exif = cleaned.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif
    assert stored.original_name == "anh.jpg"


def test_non_image_and_too_many_photos_are_refused(world: Any, category: Any, client: Client) -> None:
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client.post("/gop-y/", {**_form(category), "photos": [fake]})
    assert response.status_code == 400
    assert "anh.jpg" in response.content.decode()
    assert response.context["photos_lost"]
    photos = [SimpleUploadedFile(f"{i}.jpg", _jpeg_with_gps(), content_type="image/jpeg") for i in range(4)]
    assert client.post("/gop-y/", {**_form(category), "photos": photos}).status_code == 400
    assert not Issue.objects.exists()


def test_oversized_photo_is_refused(world: Any, category: Any, client: Client, settings: Any) -> None:
    big = SimpleUploadedFile("to.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), content_type="image/jpeg")
    response = client.post("/gop-y/", {**_form(category), "photos": [big]})
    assert response.status_code == 400
    assert "5 MB" in response.content.decode()


def test_unknown_or_malformed_code_is_a_plain_404(world: Any, category: Any, client: Client) -> None:
    IssueFactory(category=category)
    unknown = client.get("/tra-cuu/ABCDE-FGHJK/")
    malformed = client.get("/tra-cuu/xyz/")
    assert unknown.status_code == malformed.status_code == 404


def test_lookup_form_redirects_and_forgives_typing(world: Any, category: Any, client: Client) -> None:
    issue = IssueFactory(category=category)
    typed = issue.tracking_code.lower().replace("1", "l")
    response = client.get("/tra-cuu/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{issue.display_code}/"
    bad = client.get("/tra-cuu/", {"code": "12"})
    assert bad.status_code == 400
    assert "10" in bad.content.decode()


def test_citizen_rates_and_reopens_once(world: Any, category: Any, client: Client) -> None:
    issue = IssueFactory(category=category)
    admin = world.user("admin")
    services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    services.answer_issue(actor=admin, issue=issue, answer="Đã khơi thông cống.")
    url = issue.get_public_url()
    page = client.get(url).content.decode()
    assert "Đã khơi thông cống." in page
    assert client.post(url + "danh-gia/", {"rating": "2", "comment": "Chưa sạch"}).status_code == 302
    issue.refresh_from_db()
    assert issue.rating == 2
    assert client.post(url + "danh-gia/", {"rating": "5"}).status_code == 400  # once
    assert client.post(url + "mo-lai/", {"reason": ""}).status_code == 400
    assert client.post(url + "mo-lai/", {"reason": "Cống lại tắc sau hai ngày"}).status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REOPENED and issue.due_on is not None
    services.answer_issue(actor=admin, issue=issue, answer="Đã nạo vét lần hai.")
    response = client.post(url + "mo-lai/", {"reason": "Vẫn tắc"})
    assert response.status_code == 400
    assert "Vẫn tắc" in response.content.decode()  # kept in the form
    timeline = [e.kind for e in issue.events.all()]
    assert timeline.count("reopened") == 1


def test_timeline_hides_internal_steps(world: Any, category: Any, client: Client) -> None:
    import datetime as dt

    issue = IssueFactory(category=category)
    services.escalate_overdue(today=issue.due_on + dt.timedelta(days=1))
    html = client.get(issue.get_public_url()).content.decode()
    assert "Quá hạn" not in html
    assert issue.events.filter(kind="escalated").exists()


def test_transparency_lists_only_consenting_answered_issues(world: Any, category: Any, client: Client) -> None:
    admin = world.user("admin")
    shown = IssueFactory(category=category, description="Đèn đường hỏng ở số 45 Hàm Nghi, gọi 0905123456")
    hidden = IssueFactory(category=category, consent_to_publish=False, description="Không công khai việc này")
    waiting = IssueFactory(category=category, description="Chưa trả lời việc này")
    for issue in (shown, hidden):
        services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
        # The ward answers: the answer is signed by it.
        services.answer_issue(actor=world.user("secretary"), issue=issue,
                              answer="Đã thay bóng đèn. Liên hệ Nguyễn Thị Hoa.")
    html = client.get("/phan-anh/").content.decode()
    assert "Đèn đường hỏng" in html
    assert "Không công khai" not in html and waiting.description not in html
    for secret in ["Nguyễn Thị Hoa", "0912345678", "0905123456", "số 45", "Số 12"]:
        assert secret not in html
    assert world.ward_a.name in html


def test_redact_removes_contacts_and_house_numbers() -> None:
    text = "Nhà số 12/3 đường Lê Lợi, kiệt 45 Trần Phú, gọi 0912 345 678, thư a.b@gmail.com, 27 Hùng Vương"
    cleaned = redact(text, name="Lê Văn A")
    for secret in ["12/3", "45", "0912", "gmail", "27"]:
        assert secret not in cleaned
    assert "Lê Lợi" in cleaned and "Hùng Vương" in cleaned


def test_json_intake_returns_code_and_names_bad_fields(world: Any, category: Any, client: Client) -> None:
    ok = client.post("/gop-y/api/", {"category": category.code, "description": "Vỉa hè bị lấn chiếm buôn bán"},
                     content_type="application/json")
    assert ok.status_code == 201
    code = ok.json()["tracking_code"]
    assert Issue.objects.filter(tracking_code=codes.normalise(code)).exists()
    bad = client.post("/gop-y/api/", {"category": "khong-co", "description": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"category", "description"}


@override_settings(DIALOGUES_LOOKUP_RATE="3/h")
def test_code_lookups_are_rate_limited_per_address(world: Any, category: Any, client: Client) -> None:
    issue = IssueFactory(category=category)
    for _ in range(3):
        assert client.get(issue.get_public_url()).status_code == 200
    response = client.get("/tra-cuu/ABCDE-FGHJK/")
    assert response.status_code == 429
    assert "Quá nhiều lượt tra cứu" in response.content.decode()


@override_settings(DIALOGUES_INTAKE_RATE="1/h")
def test_json_intake_is_rate_limited_too(world: Any, category: Any, client: Client) -> None:
    body = {"category": category.code, "description": "Vỉa hè bị lấn chiếm buôn bán"}
    assert client.post("/gop-y/api/", body, content_type="application/json").status_code == 201
    limited = client.post("/gop-y/api/", body, content_type="application/json")
    assert limited.status_code == 429 and "Quá nhiều" in limited.json()["detail"]

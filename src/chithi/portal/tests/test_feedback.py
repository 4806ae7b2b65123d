"""Reader feedback: private name and e-mail, honeypot, rate limit with a Vietnamese 429, moderation, e-mails to
the sender once the moderation is committed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from chithi.portal import services
from chithi.portal.models import Feedback, FeedbackStatus

from .factories import article, feedback

pytestmark = pytest.mark.django_db


def _post(client, live, **data):
    body = {"name": "Nguyễn Văn Riêng", "email": "rieng.tu@example.vn", "message": "Cảm ơn bài viết.",
            "show_name": "on", "website": "", **data}
    return client.post(f"{live.get_public_url()}phan-hoi/", body)


def test_feedback_waits_for_moderation_and_shows_only_the_given_name(world, client):
    live = article(unit=world.ward_a)
    response = _post(client, live)
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.status == FeedbackStatus.PENDING
    page = client.get(live.get_public_url()).content.decode()
    assert "Cảm ơn bài viết." not in page  # held for moderation
    services.approve_feedback(actor=world.user("secretary"), feedback=item)
    page = client.get(live.get_public_url()).content.decode()
    assert "Cảm ơn bài viết." in page and "<strong>Riêng</strong>" in page
    assert "Nguyễn Văn Riêng" not in page and "rieng.tu@example.vn" not in page


def test_a_reader_who_hides_the_name_shows_as_reader(world, client):
    live = article(unit=world.ward_a)
    _post(client, live, show_name="")
    services.approve_feedback(actor=world.user("secretary"), feedback=Feedback.objects.get())
    assert "<strong>Bạn đọc</strong>" in client.get(live.get_public_url()).content.decode()


def test_script_in_a_message_is_shown_as_text(world, client):
    live = article(unit=world.ward_a)
    item = feedback(live, message='<script>alert("x")</script><b onmouseover="x()">Đèn hỏng</b>', state="published")
    page = client.get(live.get_public_url()).content.decode()
    assert "<script>alert" not in page and 'onmouseover="x()"' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert item.status == FeedbackStatus.PUBLISHED


def test_the_honeypot_refuses_and_stores_nothing(world, client):
    live = article(unit=world.ward_a)
    response = _post(client, live, website="http://spam.example")
    assert response.status_code == 400
    assert "Không thể tiếp nhận biểu mẫu này" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_flood_from_one_address_answers_429_in_vietnamese_and_keeps_the_text(world, client, settings):
    settings.PORTAL_FEEDBACK_RATE = "3/h"
    live = article(unit=world.ward_a)
    for number in range(3):
        assert _post(client, live, message=f"Lần {number}").status_code == 302
    response = _post(client, live, message="Lần thứ tư, vẫn còn chữ")
    assert response.status_code == 429
    page = response.content.decode()
    assert "quá nhiều phản hồi" in page and "Lần thứ tư, vẫn còn chữ" in page
    assert Feedback.objects.count() == 3


def test_bad_fields_are_named_and_nothing_is_stored(world, client):
    live = article(unit=world.ward_a)
    response = _post(client, live, email="khong-phai-email", message="")
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_nul_and_direction_override_characters_are_dropped(world):
    live = article(unit=world.ward_a)
    item = services.submit_feedback(article=live, name="Lê\u202eAn", email="an@example.vn", message="Đường\x00 ngập")
    assert item.name == "LêAn" and item.message == "Đường ngập"


def test_no_feedback_on_an_unpublished_article(world, client):
    draft = article(unit=world.ward_a, state="draft")
    assert _post(client, draft).status_code == 404


def test_the_sender_hears_when_published_and_when_answered(world, django_capture_on_commit_callbacks):
    live = article(unit=world.ward_a, title="Hũ gạo tình thương")
    item = feedback(live)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_feedback(actor=world.user("secretary"), feedback=item)
    assert [m.to for m in mail.outbox] == [["rieng.tu@example.vn"]]
    assert "Hũ gạo tình thương" in mail.outbox[0].body and f"#phan-hoi-{item.pk}" in mail.outbox[0].body
    assert mail.outbox[0].body.count("http://") == 1  # an absolute link, from SITE_URL
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_feedback(actor=world.user("secretary"), feedback=item, answer="Chi hội liên hệ số 123.")
    assert len(mail.outbox) == 2 and "Chi hội liên hệ số 123." in mail.outbox[1].body


def test_no_mail_leaves_when_the_moderation_fails(world, django_capture_on_commit_callbacks):
    live = article(unit=world.ward_a)
    item = feedback(live, state="rejected")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.answer_feedback(actor=world.user("secretary"), feedback=item, answer="Trả lời")
    assert mail.outbox == []


def test_editors_moderate_writers_do_not(world, client):
    live = article(unit=world.ward_a)
    item = feedback(live)
    client.force_login(world.user("staff"))
    assert client.post(f"/tin-bai/phan-hoi/{item.pk}/approve/").status_code == 404
    client.force_login(world.user("secretary"))
    assert client.post(f"/tin-bai/phan-hoi/{item.pk}/approve/").status_code == 302
    item.refresh_from_db()
    assert item.status == FeedbackStatus.PUBLISHED


def test_the_queue_never_shows_the_senders_e_mail(world, client):
    live = article(unit=world.ward_a)
    feedback(live)
    client.force_login(world.user("secretary"))
    page = client.get("/tin-bai/phan-hoi/").content.decode()
    assert "Bài viết hay, cảm ơn." in page and "rieng.tu@example.vn" not in page

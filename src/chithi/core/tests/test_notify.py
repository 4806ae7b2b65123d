"""Notifications: in-app and e-mail, once per key; the list and marking as read."""

from __future__ import annotations

import contextlib

from django.core import mail
from django.db import transaction

from chithi.core.models import Notification
from chithi.core.notify import notify
from chithi.core.tests.factories import NotificationFactory


def test_notify_once_per_key_in_app_and_by_email(world, django_capture_on_commit_callbacks):
    user = world.user("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[user, user], title="Nhiệm vụ sắp đến hạn", body="Còn 3 ngày", url="/x/",
                      dedupe_key="task:1:due") == 1
        assert notify(users=[user], title="Nhiệm vụ sắp đến hạn", dedupe_key="task:1:due") == 0
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_no_email_leaves_before_the_transaction_commits(world, django_capture_on_commit_callbacks):
    user = world.user("secretary")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            notify(users=[user], title="Phản ánh mới", dedupe_key="issue:1:new")
        assert mail.outbox == []  # committed only when the outer (request) transaction does
    assert len(callbacks) == 1


def test_a_rolled_back_write_notifies_nobody(world, django_capture_on_commit_callbacks):
    user = world.user("secretary")
    with django_capture_on_commit_callbacks(execute=True), contextlib.suppress(RuntimeError), transaction.atomic():
        notify(users=[user], title="Phản ánh mới", dedupe_key="issue:2:new")
        raise RuntimeError("the write failed")
    assert not Notification.objects.filter(user=user, dedupe_key="issue:2:new").exists()
    assert mail.outbox == []


def test_notifications_page_and_read(client, world):
    user = world.user("staff")
    mine = NotificationFactory(user=user, url="/to-chuc/")
    other = NotificationFactory(user=world.user("secretary"))
    client.force_login(user)
    page = client.get("/thong-bao/").content.decode()
    assert mine.title in page and other.title not in page
    response = client.post(f"/thong-bao/{mine.pk}/doc/")
    assert response.status_code == 302 and response["Location"] == "/to-chuc/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(f"/thong-bao/{other.pk}/doc/").status_code == 404

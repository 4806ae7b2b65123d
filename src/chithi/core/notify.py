"""Notifications: in-app rows and e-mail, sent from services or the task worker.

The in-app row is written inside the caller's transaction, so it exists exactly when the change it reports
does. The e-mail leaves only once that transaction has committed (after Zulip's send_event_on_commit): a
rolled-back write never mails anyone, and a slow relay never holds a row lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification

logger = logging.getLogger(__name__)


def _send(title: str, body: str, address: str, user_pk: Any) -> None:
    try:
        send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # an unreachable relay must not lose the in-app notice
        logger.exception("e-mail to user %s failed", user_pk)


def send_email_on_commit(*, title: str, body: str, address: str, user_pk: Any = None) -> None:
    """An e-mail that leaves when the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: _send(title, body, address, user_pk), robust=True)


def absolute_url(url: str) -> str:
    """A site path as an address that works from a mail client (SITE_URL in front); anything else unchanged."""
    if url.startswith("/") and not url.startswith("//"):
        return f"{str(getattr(settings, 'SITE_URL', '')).rstrip('/')}{url}"
    return url


def notify(
    *, users: Iterable[Any], title: str, body: str = "", url: str = "", dedupe_key: str = "",
    email: bool = True,
) -> int:
    """Notify each user once; with a dedupe_key a second call for the same key sends nothing.

    Returns how many users were newly notified.
    """
    sent = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, title=title[:300], body=body, url=url,
                                            dedupe_key=dedupe_key)
        except IntegrityError:
            continue  # already notified for this key
        sent += 1
        if email and user.email:
            send_email_on_commit(title=title, body=f"{body}\n\n{absolute_url(url)}".strip(), address=user.email,
                                 user_pk=user.pk)
    return sent

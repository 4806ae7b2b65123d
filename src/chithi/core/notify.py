"""Notifications: in-app rows and e-mail, sent from services or the task worker."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification

logger = logging.getLogger(__name__)


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
            try:
                send_mail(title, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
            except Exception:  # an unreachable relay must not lose the in-app notice
                logger.exception("e-mail to user %s failed", user.pk)
    return sent

"""The private calendar feed of a user: a new secret URL (the old one stops working) or none."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from chithi.core import audit
from chithi.core.models import AuditAction

from ..models import CalendarFeed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_feed(*, actor: Any) -> str:
    """A new feed URL's token for the actor (shown once); any earlier one is revoked."""
    revoke_feeds(actor=actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=token_hash(token))
    audit.record(action=AuditAction.CREATE, obj=feed, actor=actor, after={"user": actor.pk}, org_path="")
    return token


@transaction.atomic
def revoke_feeds(*, actor: Any) -> int:
    active = list(CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True))
    now = timezone.now()
    for feed in active:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit.record(action=AuditAction.UPDATE, obj=feed, actor=actor, before={"revoked_at": None},
                     after={"revoked_at": now.isoformat()}, org_path="")
    return len(active)

"""Writes of the core room."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from . import audit
from .models import AuditAction, User


@transaction.atomic
def issue_api_token(*, actor: User) -> Token:
    """Replace the user's API token; the old one stops working at once."""
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    # Never the key itself in the log: only that a new token exists.
    audit.record(action=AuditAction.CREATE, obj=actor, after={"api_token": "issued"}, actor=actor,
                 note="API token")
    return token

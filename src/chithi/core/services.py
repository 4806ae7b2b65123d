"""Writes of the core room."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import audit
from .models import AuditAction, User
from .writes import model_update


@transaction.atomic
def issue_api_token(*, actor: User) -> Token:
    """Replace the user's API token; the old one stops working at once."""
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    # Never the key itself in the log: only that a new token exists.
    audit.record(action=AuditAction.CREATE, obj=actor, after={"api_token": "issued"}, actor=actor,
                 note="API token")
    return token


@transaction.atomic
def change_email(*, actor: User, email: str) -> User:
    """The address the user's notifications and password-reset links go to; empty sends no e-mail (the
    notifications still wait under the bell). One address, one account: a reset link asked for an address
    must not reach two people."""
    email = User.objects.normalize_email(email.strip())
    if email and User.objects.filter(email__iexact=email).exclude(pk=actor.pk).exists():
        raise ValidationError({"email": _("This address is already used by another account.")})
    user, _changed = model_update(instance=actor, data={"email": email}, fields=("email",), actor=actor,
                                  note=_("e-mail address changed"))
    return user

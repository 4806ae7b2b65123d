"""Open311 client applications: a key per application, shown once and stored as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.writes import acting_user, locked, model_update, save_new

from .. import policy
from ..models import ApiClient
from .common import clean_text


def _hash_key(key: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_client(*, actor: Any, name: str, contact: str = "") -> tuple[ApiClient, str]:
    """Register an application and return it with its key, which is shown once and never stored."""
    if not policy.manages_intake(actor):
        raise PermissionDenied(_("Only an administrator can issue Open311 keys."))
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, 150, required=True, label=_("The name"))
    contact = clean_text(errors, "contact", contact, 200)
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    client = save_new(ApiClient(name=name, contact=contact, key_prefix=key[:8], key_hash=_hash_key(key),
                                created_by=acting_user(actor)), actor=actor)
    return client, key


@transaction.atomic
def rotate_api_key(*, actor: Any, client: ApiClient) -> str:
    """A new key for the application (and it is enabled again); the old key stops working at once."""
    policy.API_CLIENT.check(actor, "rotate", client)
    key = secrets.token_urlsafe(32)
    model_update(instance=locked(client), data={"key_prefix": key[:8], "key_hash": _hash_key(key), "active": True},
                 fields=("key_prefix", "key_hash", "active"), actor=actor, note="new key")
    return key


@transaction.atomic
def set_api_client_active(*, actor: Any, client: ApiClient, active: bool) -> ApiClient:
    policy.API_CLIENT.check(actor, "enable" if active else "disable", client)
    client, _changed = model_update(instance=locked(client), data={"active": active}, fields=("active",),
                                    actor=actor)
    return client


def authenticate_api_key(key: str | None) -> ApiClient | None:
    if not key or len(key) < 8 or len(key) > 200:
        return None
    digest = _hash_key(key)
    for client in ApiClient.objects.filter(key_prefix=key[:8], active=True):
        if hmac.compare_digest(client.key_hash, digest):
            return client
    return None

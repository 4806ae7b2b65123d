"""Audit: every service that writes calls `record()` inside its transaction (after Zulip, NetBox)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from . import context
from .models import AuditAction, AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# Columns that are derived from others or change on every save: noise in a history.
_SKIPPED = {"search_text", "sort_key", "updated_at", "created_at", "password"}


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    """The object's own columns as JSON (foreign keys as ids), for before/after."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIPPED:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def org_path_of(obj: models.Model) -> str:
    """Where the object sits in the organisation tree, following its scope_path_field."""
    field = getattr(obj, "scope_path_field", "")
    if not field:
        return ""
    value: Any = obj
    for part in field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def record(
    *, action: AuditAction | str, obj: models.Model, before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None, actor: Any = None, note: str = "", org_path: str | None = None,
    related: models.Model | None = None,
) -> AuditEntry:
    """One audit row, inside the caller's transaction. `related`: another object on whose history this
    change also shows (after NetBox's related_object): the plan a cascade issued from, the unit a merger
    retired, the unit an issue was referred or escalated to."""
    actor = actor if actor is not None else context.get_actor()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=user,
        user_name=(user.get_username() if user else "system")[:150],
        request_id=context.get_request_id() or "",
        action=str(action),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        org_path=org_path if org_path is not None else org_path_of(obj),
        before=before,
        after=after,
        note=note[:500],
        related_type=ContentType.objects.get_for_model(related, for_concrete_model=False) if related else None,
        related_id=str(related.pk) if related is not None else "",
    )

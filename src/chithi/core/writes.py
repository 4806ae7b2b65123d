"""The write toolkit every service uses (after HackSoft's `model_update` and Zulip's actions): the scope
guard, the audited create and update, and the acting user.

A service reads:

    @transaction.atomic
    def update_plan(*, actor, plan, **changes):
        require(actor, Action.CHANGE, plan)
        plan, _changed = model_update(instance=locked(plan), data=changes, fields=PLAN_FIELDS, actor=actor,
                                      validate=_validate_plan)
        return plan
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from . import audit
from .models import AuditAction
from .permissions import Action, allowed_on_path, restrict


def require(user: Any, action: Action | str, target: models.Model | str) -> None:
    """Refuse (PermissionDenied, answered as 404) unless `user` may do `action` on `target`: an object
    (scoped by its scope_path_field or scope_q) or an organisation path."""
    if isinstance(target, str):
        allowed = allowed_on_path(user, action, target)
    elif getattr(type(target), "scope_q", None) is not None:
        allowed = restrict(type(target)._default_manager.filter(pk=target.pk), user, action).exists()
    else:
        allowed = allowed_on_path(user, action, audit.org_path_of(target))
    if not allowed:
        raise PermissionDenied(_("You do not have permission for this unit."))


def require_active(org: Any, field_name: str = "organisation", *, on: dt.date | None = None) -> None:
    """A merged or dissolved unit records nothing new: its successor does. The forms list live units only; the API
    and a crafted post reach the service with any unit in scope, so each service that puts a new record in a unit
    asks this. With `on`, the day the recorded thing happened: what a unit did before it ceased is its history
    and may still be written down (a dialogue it held in 2020)."""
    if org.dissolved_on is not None and on is not None and on < org.dissolved_on:
        return
    if not org.is_active:
        raise ValidationError({field_name: _("%(org)s no longer exists (merged or dissolved); choose its successor.")
                               % {"org": org.name}})


def acting_user(actor: Any) -> Any:
    """The actor as a user to store on a row (created_by, uploaded_by…), or None for the system."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def locked[M: models.Model](instance: M) -> M:
    """The row again, under a row lock, for a read-modify-write inside the service's transaction."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def save_new[M: models.Model](
    instance: M, *, actor: Any, note: str = "", org_path: str | None = None, related: models.Model | None = None,
    action: AuditAction | str = AuditAction.CREATE, after: dict[str, Any] | None = None,
) -> M:
    """Insert a validated new row and record it in the audit log."""
    instance.save()
    audit.record(action=action, obj=instance, after=after if after is not None else audit.snapshot(instance),
                 actor=actor, note=note, org_path=org_path, related=related)
    return instance


def _cleared(field: models.Field[Any, Any], name: str) -> Any:
    """What None means for a field: NULL where it is nullable, empty text for text; refused otherwise."""
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValidationError({name: _("This field is required.")})


def model_update[M: models.Model](
    *, instance: M, data: Mapping[str, Any], fields: Iterable[str], actor: Any,
    validate: Callable[[M], None] | None = None, note: str = "", org_path: str | None = None,
    related: models.Model | None = None, snapshot: Callable[[M], dict[str, Any] | None] = audit.snapshot,
) -> tuple[M, bool]:
    """Apply `data` to `instance`, validate, save what changed and audit it; returns (instance, changed).

    One rule for every service: a key left out keeps its value; None clears the field (NULL where the
    field is nullable, "" for text, refused where it is required); a value equal to the current one
    writes nothing; a key not in `fields` is refused. Nothing is saved or audited when nothing changed.
    """
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    before = snapshot(instance)
    changed: list[str] = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if value is None:
            value = _cleared(field, name)  # type: ignore[arg-type]
        if field.is_relation:
            current = getattr(instance, field.attname)  # type: ignore[union-attr]
            new = value.pk if isinstance(value, models.Model) else value
            if current != new:
                setattr(instance, name, value)
                changed.append(name)
        elif getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    if validate is not None:
        validate(instance)
    if not changed:
        return instance, False
    update_fields = [instance._meta.get_field(name).name for name in changed]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    audit.record(action=AuditAction.UPDATE, obj=instance, before=before, after=snapshot(instance), actor=actor,
                 note=note, org_path=org_path, related=related)
    return instance, True

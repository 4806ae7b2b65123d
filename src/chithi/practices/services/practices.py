"""Writes for the practice itself: registration and edits, and the rules every new practice follows
(normalised name, one name per unit, a start the unit and its results allow, a place in a lineage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.permissions import Action
from chithi.core.text import fold, vi_sort_key
from chithi.core.writes import acting_user, locked, model_update, require, require_active
from chithi.orgs.models import Organisation

from ..models import LINEAGE_STEP, Practice, PracticeField, PracticeStatus, Result
from ..policy import CHANGE, PRACTICE
from .lineage import refresh_reach

PRACTICE_FIELDS = ("name", "fields", "description", "started_on", "status", "is_public", "public_names")
# Columns that follow the name; written by update_practice with it, never given by a caller.
_NAME_KEYS = ("name_key", "sort_key")


class DuplicatePractice(ValidationError):
    """The unit already registered a practice of that name; `existing` is it, so forms can link to it."""

    def __init__(self, existing: Practice) -> None:
        self.existing = existing
        super().__init__({"name": _("%(unit)s already registered the practice “%(name)s”. Open the existing one "
                                    "instead of registering it twice.")
                          % {"unit": existing.organisation.name, "name": existing.name}})


def normalise_fields(fields: Iterable[str] | str) -> str:
    values = [f.strip() for f in (fields.split(",") if isinstance(fields, str) else fields) if f and f.strip()]
    unknown = [f for f in values if f not in PracticeField.values]
    if unknown:
        raise ValidationError({"fields": _("Unknown field: %(value)s.") % {"value": ", ".join(unknown)}})
    if not values:
        raise ValidationError({"fields": _("Choose at least one field.")})
    ordered = [f for f in PracticeField.values if f in values]  # a stable order, duplicates gone
    return "," + ",".join(ordered) + ","


def name_keys(name: str) -> dict[str, str]:
    """The name with its spaces collapsed, and the columns derived from it."""
    name = " ".join(name.split())
    return {"name": name, "name_key": fold(name), "sort_key": vi_sort_key(name)}


def validate_practice(practice: Practice) -> None:
    errors: dict[str, str] = {}
    if not practice.name.strip():
        errors["name"] = _("The name is required.")
    elif len(practice.name) > 255:
        errors["name"] = _("At most %(n)d characters.") % {"n": 255}
    if practice.status not in PracticeStatus.values:
        errors["status"] = _("Unknown status.")
    if practice.started_on is None:
        errors["started_on"] = _("The start date is required.")
    elif practice.started_on > dt.date.today():
        errors["started_on"] = _("The start date cannot be in the future.")
    org = practice.organisation
    if org.established_on and practice.started_on and practice.started_on < org.established_on:
        errors["started_on"] = _("%(unit)s was established on %(date)s; a practice cannot start before it.") % {
            "unit": org.name, "date": f"{org.established_on:%d/%m/%Y}"}
    if errors:
        raise ValidationError(errors)


def _check_duplicate(practice: Practice) -> None:
    existing = (Practice.objects.filter(organisation_id=practice.organisation_id, name_key=practice.name_key)
                .exclude(pk=practice.pk).select_related("organisation").first())
    if existing is not None:
        raise DuplicatePractice(existing)


def find_duplicate(*, organisation: Organisation, name: str) -> Practice | None:
    return Practice.objects.filter(organisation=organisation, name_key=name_keys(name)["name_key"]).first()


def insert_practice(practice: Practice, *, parent: Practice | None) -> None:
    """Insert a validated new practice under `parent` in its lineage (None: an origin). The lineage path needs
    the primary key: insert with a unique placeholder, then set it."""
    practice.lineage_path = f"tmp-{id(practice)}-{dt.datetime.now().timestamp()}"
    practice.lineage_depth = parent.lineage_depth + 1 if parent else 0
    try:
        with transaction.atomic():
            practice.save()
    except IntegrityError:
        # A concurrent registration of the same name in the same unit won the race: say so, not a 500.
        _check_duplicate(practice)
        raise
    practice.lineage_path = f"{parent.lineage_path if parent else ''}{practice.pk:0{LINEAGE_STEP}d}/"
    practice.save(update_fields=["lineage_path"])


@transaction.atomic
def register_practice(
    *, actor: Any, name: str, organisation: Organisation, fields: Iterable[str] | str, started_on: dt.date,
    description: str = "", status: str = PracticeStatus.RUNNING, is_public: bool = False, public_names: str = "",
) -> Practice:
    require(actor, Action.ADD, organisation.path)
    require_active(organisation)
    practice = Practice(
        organisation=organisation, fields=normalise_fields(fields), description=description.strip(),
        started_on=started_on, status=status, is_public=is_public, public_names=public_names.strip(),
        created_by=acting_user(actor), **name_keys(name))
    validate_practice(practice)
    _check_duplicate(practice)
    insert_practice(practice, parent=None)
    audit.record(action=AuditAction.CREATE, obj=practice, after=audit.snapshot(practice), actor=actor)
    return practice


def _validate_edit(practice: Practice) -> None:
    validate_practice(practice)
    _check_duplicate(practice)
    first = Result.objects.filter(indicator__practice=practice).order_by("period_end").first()
    if first is not None and first.period_end < practice.started_on:
        raise ValidationError({"started_on": _("Results are recorded from %(date)s; the practice must start by "
                                               "then.") % {"date": f"{first.period_end:%d/%m/%Y}"}})


@transaction.atomic
def update_practice(*, actor: Any, practice: Practice, **changes: Any) -> Practice:
    """Change what `PRACTICE_FIELDS` names (core.writes.model_update's rule for absent, None and equal values);
    the owning unit changes only by restructuring."""
    PRACTICE.check(actor, CHANGE, practice)
    # Checked here, not only by model_update: the columns that follow the name are written with it below.
    refused = set(changes) - set(PRACTICE_FIELDS)
    if refused:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(refused)})
    data = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    if "fields" in data:
        data["fields"] = normalise_fields(changes["fields"])
    if data.get("name") is not None:
        data.update(name_keys(data["name"]))
    practice = locked(practice)
    status_before = practice.status
    practice, _changed = model_update(instance=practice, data=data, fields=(*PRACTICE_FIELDS, *_NAME_KEYS),
                                      actor=actor, validate=_validate_edit)
    if practice.status != status_before:
        refresh_reach(practice.lineage_path)  # a stopped replication stops counting for its ancestors
    return practice

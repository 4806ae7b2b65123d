"""Writes for units: create, edit, and move a unit with its whole subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.paths import graft
from chithi.core.permissions import Action, scope_paths
from chithi.core.rooms import move_handlers
from chithi.core.text import has_bidi_controls, vi_sort_key
from chithi.core.writes import locked, model_update, save_new

from ..models import PATH_STEP, Organisation, OrgKind, OrgParentPeriod, child_kinds
from ..policy import ORGANISATION

ORG_FIELDS = ("name", "short_name", "code", "kind", "residential", "established_on", "description")
# The oldest units a record of ours names were founded with the Party (03/02/1930) or after it; testers saved units
# established in 1800 and 3000, which then sorted first in every history and tree on a date.
EARLIEST_ESTABLISHED = dt.date(1930, 1, 1)


def _kind_label(kind: str) -> str:
    return str(OrgKind(kind).label) if kind in OrgKind.values else kind


def kind_problem(kind: str, parent: Organisation | None) -> str:
    """Why a unit of `kind` cannot stand directly under `parent` (models.CHILD_KINDS), or "" when it can."""
    if parent is None or kind in child_kinds(parent.kind):
        return ""
    allowed = child_kinds(parent.kind)
    if not allowed:
        return _("%(parent)s is a “%(parent_kind)s” and cannot have sub-units.") % {
            "parent": parent.name, "parent_kind": _kind_label(parent.kind)}
    return _("A “%(kind)s” cannot stand under %(parent)s, which is a “%(parent_kind)s”. Under it may stand: "
             "%(allowed)s.") % {"kind": _kind_label(kind), "parent": parent.name,
                                "parent_kind": _kind_label(parent.kind),
                                "allowed": ", ".join(_kind_label(k) for k in allowed)}


def children_problem(kind: str, children: list[Organisation]) -> str:
    """Why a unit of `kind` cannot hold these (active) sub-units, or "": a unit's kind is not changed, nor are
    sub-units handed to a unit, when the tree would break the rule."""
    refused = sorted({child.kind for child in children} - set(child_kinds(kind)), key=OrgKind.values.index)
    if not refused:
        return ""
    return _("A “%(kind)s” cannot hold sub-units of kind %(kinds)s; move them elsewhere first.") % {
        "kind": _kind_label(kind), "kinds": ", ".join(f"“{_kind_label(k)}”" for k in refused)}


def established_on_problem(day: dt.date | None) -> str:
    """Why `day` cannot be a unit's founding date, or "" (the same idea as a person's plausible birth date)."""
    if day is None or EARLIEST_ESTABLISHED <= day <= dt.date.today():
        return ""
    return _("The date of establishment is not plausible: it must lie between %(earliest)s and today.") % {
        "earliest": EARLIEST_ESTABLISHED.strftime("%d/%m/%Y")}


def _validate_org(org: Organisation) -> None:
    errors: dict[str, str] = {}
    if not org.name.strip():
        errors["name"] = _("The name is required.")
    elif len(org.name) > 255:
        errors["name"] = _("At most %(n)d characters.") % {"n": 255}
    elif has_bidi_controls(org.name) or has_bidi_controls(org.short_name):
        errors["name"] = _("The name contains invisible text-direction characters; type it again.")
    if org.kind not in OrgKind.values:
        errors["kind"] = _("Unknown kind of organisation.")
    if org.established_on and org.dissolved_on and org.dissolved_on <= org.established_on:
        errors["dissolved_on"] = _("The unit must cease after it was established.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organisation(
    *, actor: Any, name: str, kind: str, parent: Organisation | None = None, short_name: str = "",
    code: str = "", residential: bool = False, established_on: dt.date | None = None,
    description: str = "", audit_note: str = "", scheduled: bool = False,
) -> Organisation:
    """A new unit under `parent`, of a kind that may stand there. `scheduled`: made by a merger or split decided
    ahead, whose effective date (the unit's founding) may lie after today; what a person types may not."""
    if parent is None:
        if scope_paths(actor, Action.ADD) is not None:
            raise PermissionDenied(_("Only a system administrator can create a top-level unit."))
    else:
        ORGANISATION.check(actor, "add", parent, field="parent")
    org = Organisation(
        name=name.strip(), kind=kind, parent=parent, short_name=short_name.strip(), code=code.strip(),
        residential=residential, established_on=established_on, description=description,
        depth=(parent.depth + 1) if parent else 0, sort_key=vi_sort_key(name.strip()),
    )
    _validate_org(org)
    problems = {"kind": kind_problem(kind, parent),
                "established_on": "" if scheduled and established_on and established_on > dt.date.today()
                else established_on_problem(established_on)}
    if any(problems.values()):
        raise ValidationError({name: problem for name, problem in problems.items() if problem})
    # The path holds the primary key: insert under a unique placeholder, then write the real path.
    org.path = f"tmp-{id(org)}-{dt.datetime.now().timestamp()}"
    org.save()
    org.path = f"{parent.path if parent else ''}{org.pk:0{PATH_STEP}d}/"
    save_new(org, actor=actor, note=audit_note)
    OrgParentPeriod.objects.create(organisation=org, parent=parent, since=established_on)
    return org


@transaction.atomic
def update_organisation(*, actor: Any, org: Organisation, **changes: Any) -> Organisation:
    """Edit a unit's own fields (ORG_FIELDS, audited as one update) and, with `parent`, move it (audited as a
    move). model_update's rule applies: a key left out stays, None clears, an equal value writes nothing."""
    ORGANISATION.check(actor, "edit", org)
    new_parent = changes.pop("parent", org.parent)
    if new_parent is not None and new_parent.pk != org.parent_id:
        ORGANISATION.check(actor, "add", new_parent, field="parent")  # before a message names the new parent
    data = dict(changes)
    _check_changed_kind_and_date(org, data, new_parent)
    if isinstance(data.get("name"), str):
        data["sort_key"] = vi_sort_key(data["name"])  # derived: saved with the name it follows
    org, _changed = model_update(instance=locked(org), data=data, fields=(*ORG_FIELDS, "sort_key"), actor=actor,
                                 validate=_validate_org)
    if (new_parent.pk if new_parent else None) != org.parent_id:
        if new_parent is None:
            raise ValidationError({"parent": _("A unit cannot be moved to the top level.")})
        org = move_organisation(actor=actor, org=org, new_parent=new_parent, on_date=dt.date.today())
    return org


def _check_changed_kind_and_date(org: Organisation, data: dict[str, Any], new_parent: Organisation | None) -> None:
    """An edit's new kind must fit under the (new) parent and over the unit's sub-units, and a new founding date must
    be plausible. Only what changes is checked, so a unit recorded before these rules can still be renamed."""
    errors: dict[str, str] = {}
    kind = data.get("kind", org.kind)
    moved = (new_parent.pk if new_parent else None) != org.parent_id
    if kind != org.kind and kind in OrgKind.values:  # an unknown kind is _validate_org's to refuse
        errors["kind"] = kind_problem(kind, new_parent) or children_problem(
            kind, list(org.children.filter(dissolved_on__isnull=True)))
    elif moved:
        errors["parent"] = kind_problem(kind, new_parent)
    if "established_on" in data and data["established_on"] != org.established_on:
        errors["established_on"] = established_on_problem(data["established_on"])
    if any(errors.values()):
        raise ValidationError({name: problem for name, problem in errors.items() if problem})


@transaction.atomic
def move_organisation(*, actor: Any, org: Organisation, new_parent: Organisation, on_date: dt.date) -> Organisation:
    """Re-parent a unit with its whole subtree: one UPDATE rewrites every descendant's path."""
    ORGANISATION.check(actor, "edit", org)
    ORGANISATION.check(actor, "add", new_parent, field="parent")
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})
    if problem := kind_problem(org.kind, new_parent):
        raise ValidationError({"parent": problem})
    before = audit.snapshot(org)
    old_prefix = graft(Organisation.objects.all(), org, new_parent, step=PATH_STEP)
    Organisation.objects.filter(pk=org.pk).update(parent=new_parent)
    OrgParentPeriod.objects.filter(organisation=org, until__isnull=True).update(until=on_date)
    OrgParentPeriod.objects.create(organisation=org, parent=new_parent, since=on_date)
    org.refresh_from_db()
    for handler in move_handlers():  # rooms that keep figures up the tree move them along
        handler(org=org, old_path=old_prefix, actor=actor)
    audit.record(action=AuditAction.MOVE, obj=org, before=before, after=audit.snapshot(org), actor=actor,
                 related=new_parent)
    return org

"""Writes for replication (nhân rộng): another unit adopts a practice, or a practice another unit already
registered is linked as a replication; either way the replication tree and the origins' reach follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.paths import graft
from chithi.core.permissions import Action
from chithi.core.writes import acting_user, locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation

from ..models import LINEAGE_STEP, Practice, PracticeStatus, Replication
from ..policy import LINK_REPLICATION, PRACTICE, REPLICATE
from .lineage import refresh_reach
from .practices import find_duplicate, insert_practice, name_keys, validate_practice


def _check_adoption(origin: Practice, adopting_org: Organisation, adopted_on: dt.date | None) -> None:
    if adopting_org.pk == origin.organisation_id:
        raise ValidationError({"organisation": _("%(unit)s owns this practice; a unit cannot replicate its own "
                                                 "practice.") % {"unit": adopting_org.name}})
    require_active(adopting_org)
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("The adoption date is required.")})
    if adopted_on < origin.started_on:
        raise ValidationError({"adopted_on": _("The origin started on %(date)s; it cannot be adopted earlier.")
                               % {"date": f"{origin.started_on:%d/%m/%Y}"}})


def _record(actor: Any, *, origin: Practice, adopting: Practice, adopted_on: dt.date,
            adaptation_notes: str) -> Replication:
    """The replication row, the reach of every ancestor, and the origin marked as replicated."""
    replication = save_new(Replication(origin=origin, adopting=adopting, adopted_on=adopted_on,
                                       adaptation_notes=adaptation_notes.strip()),
                           actor=actor, org_path=origin.organisation.path)
    refresh_reach(adopting.lineage_path)
    if origin.status in (PracticeStatus.PILOTING, PracticeStatus.RUNNING):
        model_update(instance=origin, data={"status": PracticeStatus.REPLICATED}, fields=["status"], actor=actor,
                     note=_("replicated"))
    return replication


@transaction.atomic
def replicate_practice(
    *, actor: Any, origin: Practice, organisation: Organisation, adopted_on: dt.date, adaptation_notes: str = "",
    name: str = "", is_public: bool | None = None,
) -> Replication:
    """Another unit adopts the practice: it gets a practice of its own, linked to its origin."""
    require(actor, Action.ADD, organisation.path)
    # Decide on the row as it is now (locked), not on what the caller loaded earlier.
    origin = locked(origin)
    PRACTICE.check_on(actor, REPLICATE, origin, field="origin")
    _check_adoption(origin, organisation, adopted_on)
    if adopted_on > dt.date.today():
        raise ValidationError({"adopted_on": _("The adoption date cannot be in the future.")})
    adopting = Practice(
        organisation=organisation, fields=origin.fields, description=origin.description, started_on=adopted_on,
        status=PracticeStatus.RUNNING, is_public=origin.is_public if is_public is None else is_public,
        created_by=acting_user(actor), **name_keys(name.strip() or origin.name))
    validate_practice(adopting)
    existing = find_duplicate(organisation=organisation, name=adopting.name)
    if existing is not None:
        raise ValidationError({"organisation": _("%(unit)s already runs a practice named “%(name)s”; link that one "
                                                 "as the replication instead.")
                               % {"unit": organisation.name, "name": existing.name}})
    insert_practice(adopting, parent=origin)
    # On the origin's history too: that is where its spread is followed.
    audit.record(action=AuditAction.CREATE, obj=adopting, after=audit.snapshot(adopting), actor=actor,
                 related=origin, note=_("replication of %(name)s (%(unit)s)") % {
                     "name": origin.name, "unit": origin.organisation.name})
    return _record(actor, origin=origin, adopting=adopting, adopted_on=adopted_on, adaptation_notes=adaptation_notes)


@transaction.atomic
def link_replication(
    *, actor: Any, origin: Practice, adopting: Practice, adopted_on: dt.date, adaptation_notes: str = "",
) -> Replication:
    """Record that an already registered practice of another unit replicates `origin`; its own replications
    move with it in the tree."""
    require(actor, Action.CHANGE, adopting)
    origin, adopting = locked(origin), locked(adopting)
    PRACTICE.check_on(actor, LINK_REPLICATION, origin, field="origin")
    if origin.pk == adopting.pk:
        raise ValidationError({"adopting": _("A practice cannot be a replication of itself.")})
    _check_adoption(origin, adopting.organisation, adopted_on)
    if Replication.objects.filter(adopting=adopting).exists():
        raise ValidationError({"adopting": _("“%(name)s” is already recorded as a replication of another practice.")
                               % {"name": adopting.name}})
    if origin.lineage_path.startswith(adopting.lineage_path):
        raise ValidationError({"adopting": _("“%(origin)s” already descends from “%(adopting)s”: this link would "
                                             "make a cycle.") % {"origin": origin.name, "adopting": adopting.name}})
    before = audit.snapshot(adopting)
    # One UPDATE moves the adopting practice and everything replicated from it.
    graft(Practice.objects.all(), adopting, origin, step=LINEAGE_STEP, path="lineage_path", depth="lineage_depth")
    adopting.refresh_from_db()
    audit.record(action=AuditAction.UPDATE, obj=adopting, before=before, after=audit.snapshot(adopting),
                 actor=actor, related=origin,
                 note=_("linked as a replication of %(name)s") % {"name": origin.name})
    return _record(actor, origin=origin, adopting=adopting, adopted_on=adopted_on, adaptation_notes=adaptation_notes)

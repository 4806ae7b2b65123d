"""Mergers and splits: the old units cease but stay readable; people, sub-units, roles and every room's open
records move to the successor inside one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.notify import notify
from chithi.core.permissions import Action, Role, allowed_on_path, clear_scope_cache
from chithi.core.rooms import successor_handlers
from chithi.core.text import fold
from chithi.core.writes import save_new

from ..models import (
    Membership,
    Organisation,
    OrgParentPeriod,
    Person,
    RestructuringEvent,
    RestructuringKind,
    RoleAssignment,
)
from ..policy import ORGANISATION
from ..selectors import users_with_role
from .organisations import children_problem, create_organisation, move_organisation


def _hand_over(*, actor: Any, source: Organisation, successor: Organisation, effective_on: dt.date,
               people: Iterable[Person] | None = None, children: Iterable[Organisation] | None = None) -> None:
    """Move people (open memberships) and active sub-units to the successor.

    The old memberships end the day before, so the source's roster on a past date stays true.
    """
    last_day = effective_on - dt.timedelta(days=1)
    memberships = Membership.objects.filter(organisation=source, until__isnull=True)
    if people is not None:
        memberships = memberships.filter(person__in=list(people))
    for membership in memberships.select_related("person"):
        before = audit.snapshot(membership)
        membership.until = max(last_day, membership.since) if membership.since else last_day
        membership.save(update_fields=["until", "updated_at"])
        audit.record(action=AuditAction.UPDATE, obj=membership, before=before, after=audit.snapshot(membership),
                     actor=actor, note=_("moved to %(org)s") % {"org": successor.name}, related=membership.person)
        save_new(Membership(person=membership.person, organisation=successor, position=membership.position,
                            since=effective_on),
                 actor=actor, note=_("from %(org)s") % {"org": source.name}, related=membership.person)
    child_qs = source.children.filter(dissolved_on__isnull=True)
    if children is not None:
        child_qs = child_qs.filter(pk__in=[c.pk for c in children])
    for child in list(child_qs):
        move_organisation(actor=actor, org=child, new_parent=successor, on_date=effective_on)


def grantable_roles(actor: Any, org: Organisation) -> set[str]:
    """The roles the actor could give on `org` through the roles page: all of them where the actor manages
    roles, none elsewhere. A restructuring never moves a role its actor could not have granted (issue 9: a
    cell's admin who was a ward's staff became the ward's admin by merging the cell into it)."""
    return set(Role.values) if allowed_on_path(actor, Action.MANAGE_ROLES, org.path) else set()


def _move_roles(*, actor: Any, source: Organisation, successor: Organisation) -> None:
    """The source's roles hold on the successor where the actor could grant them there; each moved role is
    audited (also on the source's history) and the successor's admins are told what moved and what did not."""
    grantable = grantable_roles(actor, successor)
    moved: list[str] = []
    kept: list[str] = []
    for assignment in RoleAssignment.objects.filter(organisation=source).select_related("user").order_by("pk"):
        line = f"{assignment.user.get_username()} — {assignment.get_role_display()}"
        if assignment.role not in grantable:
            kept.append(line)
            audit.record(action=AuditAction.UPDATE, obj=assignment, actor=actor, related=successor,
                         note=_("not moved to %(org)s: beyond what the person restructuring may grant there")
                         % {"org": successor.name})
        elif not RoleAssignment.objects.filter(user=assignment.user, organisation=successor,
                                               role=assignment.role).exists():
            save_new(RoleAssignment(user=assignment.user, organisation=successor, role=assignment.role),
                     actor=actor, related=source, note=_("from %(org)s") % {"org": source.name})
            moved.append(line)
        clear_scope_cache(assignment.user)
    if not (moved or kept):
        return
    body = [_("Roles moved from %(org)s:") % {"org": source.name}, *moved] if moved else []
    if kept:
        body += [_("Roles not moved (grant them on the roles page if they are still needed):"), *kept]
    notify(users=users_with_role(successor, roles=[Role.ADMIN], upward=True),
           title=_("Roles moved to %(org)s") % {"org": successor.name}, body="\n".join(body),
           url=reverse("orgs:org_roles", args=[successor.pk]))


def _retire(*, actor: Any, source: Organisation, successor: Organisation, effective_on: dt.date) -> None:
    """Close the source: its roles hold on the successor (as far as the actor may grant them), every room moves
    its open records, and the change shows on both units' histories."""
    _move_roles(actor=actor, source=source, successor=successor)
    before = audit.snapshot(source)
    Organisation.objects.filter(pk=source.pk).update(dissolved_on=effective_on, successor=successor)
    source.refresh_from_db()
    OrgParentPeriod.objects.filter(organisation=source, until__isnull=True).update(until=effective_on)
    # Each room's declared successor_handler moves its open records (plans, issues…) on, inside this
    # transaction, so a failure in any room undoes the whole restructuring.
    for handler in successor_handlers():
        handler(source=source, successor=successor, effective_on=effective_on, actor=actor)
    audit.record(action=AuditAction.UPDATE, obj=source, before=before, after=audit.snapshot(source), actor=actor,
                 note=_("ceased; successor %(org)s") % {"org": successor.name}, related=successor)


def _check_restructurable(actor: Any, org: Organisation, effective_on: dt.date, field_name: str) -> None:
    ORGANISATION.check(actor, "restructure", org, field=field_name)
    if org.established_on and effective_on <= org.established_on:
        raise ValidationError({"effective_on": _("%(org)s was established on %(date)s; the date must be later.")
                               % {"org": org.name, "date": org.established_on.strftime("%d/%m/%Y")}})


def _check_target(actor: Any, target: Organisation, sources: Sequence[Organisation]) -> None:
    if any(s.pk == target.pk for s in sources):
        raise ValidationError({"target": _("A unit cannot be merged into itself.")})
    if any(target.path.startswith(s.path) for s in sources):
        raise ValidationError({"target": _("A unit cannot be merged into its own sub-unit.")})
    ORGANISATION.check(actor, "merge_into", target, field="target")
    _check_takes_children(target.kind, sources, "target")


def _check_takes_children(kind: str, sources: Sequence[Organisation], field_name: str) -> None:
    """The successor receives the sources' active sub-units (_hand_over): refused up front, naming the kinds, when
    one of them may not stand under a unit of `kind` (models.CHILD_KINDS, as for a new unit or a move)."""
    children = list(Organisation.objects.filter(parent__in=[s.pk for s in sources], dissolved_on__isnull=True))
    if problem := children_problem(kind, children):
        raise ValidationError({field_name: problem})


def _new_merged_unit(*, actor: Any, sources: Sequence[Organisation], name: str, code: str,
                     effective_on: dt.date) -> Organisation:
    """A new unit for the merged sources, under their common parent, of their kind (the first's, if mixed)."""
    if len({s.parent_id for s in sources}) != 1:
        raise ValidationError({"sources": _("Units with different parents cannot form one new unit; "
                                            "choose an existing target.")})
    kinds = {s.kind for s in sources}
    kind = kinds.pop() if len(kinds) == 1 else sources[0].kind
    _check_takes_children(kind, sources, "sources")
    assert sources[0].parent is not None  # _check_restructurable refused top-level units
    return create_organisation(
        actor=actor, name=name, kind=kind, parent=sources[0].parent, code=code, established_on=effective_on,
        audit_note=_("created by merger"), scheduled=True)


def _record_event(*, actor: Any, kind: RestructuringKind, effective_on: dt.date, decision: str, note: str,
                  sources: Sequence[Organisation], results: Sequence[Organisation], on: Organisation,
                  after: dict[str, Any]) -> RestructuringEvent:
    """The restructuring itself, audited on the event and shown on `on`'s history."""
    event = RestructuringEvent.objects.create(kind=kind, effective_on=effective_on, decision=decision, note=note)
    event.sources.set(sources)
    event.results.set(results)
    audit.record(action=AuditAction(str(kind)), obj=event, after={**after, "effective_on": effective_on.isoformat(),
                                                  "decision": decision},
                 actor=actor, org_path=on.path, related=on)
    return event


@transaction.atomic
def merge_organisations(
    *, actor: Any, sources: Sequence[Organisation], effective_on: dt.date, target: Organisation | None = None,
    new_name: str = "", new_code: str = "", decision: str = "", note: str = "",
) -> tuple[Organisation, RestructuringEvent]:
    """Merge units into an existing one or into a new unit under the sources' common parent."""
    sources = list({s.pk: s for s in sources}.values())
    if not sources or (target is None and len(sources) < 2):
        raise ValidationError({"sources": _("Choose at least two units to merge, or one unit and a target.")})
    if target is None and not new_name.strip():
        raise ValidationError({"new_name": _("Name the new unit, or choose an existing target.")})
    for source in sources:
        _check_restructurable(actor, source, effective_on, "sources")
    if target is not None:
        _check_target(actor, target, sources)
    else:
        target = _new_merged_unit(actor=actor, sources=sources, name=new_name, code=new_code,
                                  effective_on=effective_on)
    event = _record_event(actor=actor, kind=RestructuringKind.MERGE, effective_on=effective_on, decision=decision,
                          note=note, sources=sources, results=[target], on=target,
                          after={"sources": [s.pk for s in sources], "target": target.pk})
    for source in sources:
        _hand_over(actor=actor, source=source, successor=target, effective_on=effective_on)
        _retire(actor=actor, source=source, successor=target, effective_on=effective_on)
    target.refresh_from_db()
    return target, event


@dataclass
class SplitPart:
    name: str
    code: str = ""
    people: list[Person] = field(default_factory=list)
    children: list[Organisation] = field(default_factory=list)


def _check_parts(parts: Sequence[SplitPart]) -> None:
    names = [p.name.strip() for p in parts]
    if len(parts) < 2:
        raise ValidationError({"parts": _("A split needs at least two new units.")})
    if any(not n for n in names):
        raise ValidationError({"parts": _("Every new unit needs a name.")})
    if len({fold(n) for n in names}) != len(names):
        raise ValidationError({"parts": _("Two new units have the same name.")})
    seen: set[int] = set()
    for part in parts:
        for person in part.people:
            if person.pk in seen:
                raise ValidationError({"parts": _("%(name)s is given to two new units.") % {"name": person}})
            seen.add(person.pk)


@transaction.atomic
def split_organisation(
    *, actor: Any, source: Organisation, parts: Sequence[SplitPart], effective_on: dt.date, decision: str = "",
    note: str = "",
) -> tuple[list[Organisation], RestructuringEvent]:
    """Split a unit into new units under the same parent. People and sub-units not given to a part
    go to the first part, which also becomes the old unit's successor for open records."""
    _check_restructurable(actor, source, effective_on, "source")
    _check_parts(parts)
    assert source.parent is not None
    results = [create_organisation(actor=actor, name=part.name, kind=source.kind, parent=source.parent,
                                   code=part.code, residential=source.residential, established_on=effective_on,
                                   audit_note=_("created by split"), scheduled=True)
               for part in parts]
    event = _record_event(actor=actor, kind=RestructuringKind.SPLIT, effective_on=effective_on, decision=decision,
                          note=note, sources=[source], results=results, on=source,
                          after={"source": source.pk, "results": [r.pk for r in results]})
    for part, result in list(zip(parts, results, strict=True))[1:]:
        _hand_over(actor=actor, source=source, successor=result, effective_on=effective_on,
                   people=part.people, children=part.children)
    # Everyone and everything left goes to the first part.
    _hand_over(actor=actor, source=source, successor=results[0], effective_on=effective_on)
    _retire(actor=actor, source=source, successor=results[0], effective_on=effective_on)
    return results, event

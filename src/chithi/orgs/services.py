"""Writes for organisations, people, memberships, roles and restructurings.

Each function takes keyword arguments, validates, writes and audits inside one transaction, and
refuses with a ValidationError naming the field (forms and the API show it as it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction, User
from chithi.core.permissions import Action, Role, allowed_on_path, clear_scope_cache, scope_paths
from chithi.core.rooms import successor_handlers
from chithi.core.text import fold, person_sort_key, vi_sort_key
from chithi.core.xlsx import (
    CellError,
    Column,
    ImportRejected,
    parse_bool,
    parse_choice,
    parse_date,
    parse_text,
    read_sheet,
)

from .models import (
    PATH_STEP,
    Gender,
    Membership,
    Organisation,
    OrgKind,
    OrgParentPeriod,
    Person,
    RestructuringEvent,
    RestructuringKind,
    RoleAssignment,
)


def _require(actor: Any, action: Action, path: str) -> None:
    if not allowed_on_path(actor, action, path):
        raise PermissionDenied(_("You do not have permission for this unit."))


# --- organisations ------------------------------------------------------------------------------


def _refresh_org_derived(org: Organisation) -> None:
    org.sort_key = vi_sort_key(org.name)


def _validate_org_fields(*, name: str, kind: str, established_on: dt.date | None,
                         dissolved_on: dt.date | None = None) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("The name is required.")
    elif len(name) > 255:
        errors["name"] = _("At most %(n)d characters.") % {"n": 255}
    if kind not in OrgKind.values:
        errors["kind"] = _("Unknown kind of organisation.")
    if established_on and dissolved_on and dissolved_on <= established_on:
        errors["dissolved_on"] = _("The unit must cease after it was established.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organisation(
    *, actor: Any, name: str, kind: str, parent: Organisation | None = None, short_name: str = "",
    code: str = "", residential: bool = False, established_on: dt.date | None = None,
    description: str = "", audit_note: str = "",
) -> Organisation:
    if parent is None:
        if scope_paths(actor, Action.ADD) is not None:
            raise PermissionDenied(_("Only a system administrator can create a top-level unit."))
    else:
        _require(actor, Action.ADD, parent.path)
        if not parent.is_active:
            raise ValidationError({"parent": _("The parent unit no longer exists (it was merged or dissolved).")})
    _validate_org_fields(name=name, kind=kind, established_on=established_on)
    org = Organisation(
        name=name.strip(), kind=kind, parent=parent, short_name=short_name.strip(), code=code.strip(),
        residential=residential, established_on=established_on, description=description,
        depth=(parent.depth + 1) if parent else 0,
    )
    _refresh_org_derived(org)
    # The path needs the primary key: insert with a unique placeholder, then set it.
    org.path = f"tmp-{id(org)}-{dt.datetime.now().timestamp()}"
    org.save()
    org.path = f"{parent.path if parent else ''}{org.pk:0{PATH_STEP}d}/"
    org.save(update_fields=["path"])
    OrgParentPeriod.objects.create(organisation=org, parent=parent, since=established_on)
    audit.record(action=AuditAction.CREATE, obj=org, after=audit.snapshot(org), actor=actor, note=audit_note)
    return org


_ORG_EDITABLE = {"name", "short_name", "code", "kind", "residential", "established_on", "description"}


@transaction.atomic
def update_organisation(*, actor: Any, org: Organisation, **changes: Any) -> Organisation:
    _require(actor, Action.CHANGE, org.path)
    unknown = set(changes) - _ORG_EDITABLE - {"parent"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = audit.snapshot(org)
    new_parent = changes.pop("parent", org.parent)
    for name, value in changes.items():
        setattr(org, name, value)
    _validate_org_fields(name=org.name, kind=org.kind, established_on=org.established_on,
                         dissolved_on=org.dissolved_on)
    _refresh_org_derived(org)
    org.save()
    if (new_parent.pk if new_parent else None) != org.parent_id:
        if new_parent is None:
            raise ValidationError({"parent": _("A unit cannot be moved to the top level.")})
        org = move_organisation(actor=actor, org=org, new_parent=new_parent, on_date=dt.date.today(),
                                audit_it=False)
    audit.record(action=AuditAction.UPDATE, obj=org, before=before, after=audit.snapshot(org), actor=actor)
    return org


@transaction.atomic
def move_organisation(
    *, actor: Any, org: Organisation, new_parent: Organisation, on_date: dt.date, audit_it: bool = True,
) -> Organisation:
    """Re-parent a unit with its whole subtree: one UPDATE rewrites every descendant's path."""
    _require(actor, Action.CHANGE, org.path)
    _require(actor, Action.ADD, new_parent.path)
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})
    if not new_parent.is_active:
        raise ValidationError({"parent": _("The parent unit no longer exists (it was merged or dissolved).")})
    before = audit.snapshot(org)
    old_prefix = org.path
    new_prefix = f"{new_parent.path}{org.pk:0{PATH_STEP}d}/"
    depth_delta = new_parent.depth + 1 - org.depth
    Organisation.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_delta,
    )
    Organisation.objects.filter(pk=org.pk).update(parent=new_parent)
    OrgParentPeriod.objects.filter(organisation=org, until__isnull=True).update(until=on_date)
    OrgParentPeriod.objects.create(organisation=org, parent=new_parent, since=on_date)
    org.refresh_from_db()
    if audit_it:
        audit.record(action=AuditAction.MOVE, obj=org, before=before, after=audit.snapshot(org), actor=actor)
    return org


# --- people -------------------------------------------------------------------------------------

_PERSON_FIELDS = {"full_name", "gender", "birth_date", "is_party_member", "party_joined_on", "phone", "email",
                  "note"}


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _validate_person(person: Person) -> None:
    errors: dict[str, str] = {}
    if not person.full_name.strip():
        errors["full_name"] = _("The full name is required.")
    elif len(person.full_name.split()) < 2:
        errors["full_name"] = _("Write the full name: family name and given name.")
    if person.gender and person.gender not in Gender.values:
        errors["gender"] = _("Unknown gender.")
    today = dt.date.today()
    if person.birth_date and not (dt.date(1900, 1, 1) <= person.birth_date <= today):
        errors["birth_date"] = _("The date of birth is not plausible.")
    if person.party_joined_on:
        if not person.is_party_member:
            errors["party_joined_on"] = _("Only a party member has a party joining date.")
        elif person.party_joined_on > today:
            errors["party_joined_on"] = _("The joining date is in the future.")
        elif person.birth_date and _age_on(person.birth_date, person.party_joined_on) < 18:
            errors["party_joined_on"] = _("A party member joins at 18 or older.")
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            errors["email"] = _("Not a valid e-mail address.")
    if errors:
        raise ValidationError(errors)


def _refresh_person_derived(person: Person) -> None:
    person.full_name = " ".join(person.full_name.split())
    person.sort_key = person_sort_key(person.full_name)


def _validate_membership(*, organisation: Organisation, since: dt.date | None, until: dt.date | None = None) -> None:
    if until is None and not organisation.is_active:
        raise ValidationError({"organisation": _("%(org)s no longer exists; choose its successor.")
                               % {"org": organisation.name}})
    if since and until and until < since:
        raise ValidationError({"until": _("The end date is before the start date.")})


@transaction.atomic
def create_person(
    *, actor: Any, full_name: str, organisation: Organisation, position: str = "", since: dt.date | None = None,
    audit_action: AuditAction = AuditAction.CREATE, **fields: Any,
) -> Person:
    """A person always enters through a membership: that is what places them in someone's scope."""
    _require(actor, Action.ADD, organisation.path)
    unknown = set(fields) - _PERSON_FIELDS
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    person = Person(full_name=full_name or "", **fields)
    _refresh_person_derived(person)
    _validate_person(person)
    _validate_membership(organisation=organisation, since=since)
    person.save()
    membership = Membership.objects.create(person=person, organisation=organisation, position=position.strip(),
                                           since=since)
    audit.record(action=audit_action, obj=person, after=audit.snapshot(person), actor=actor,
                 org_path=organisation.path)
    audit.record(action=audit_action, obj=membership, after=audit.snapshot(membership), actor=actor)
    return person


def _person_path(person: Person) -> str:
    membership = person.memberships.select_related("organisation").order_by("until", "-since").first()
    return membership.organisation.path if membership else ""


@transaction.atomic
def update_person(*, actor: Any, person: Person, **changes: Any) -> Person:
    from chithi.core.permissions import restrict

    if not restrict(Person.objects.filter(pk=person.pk), actor, Action.CHANGE).exists():
        raise PermissionDenied(_("You do not have permission for this person."))
    unknown = set(changes) - _PERSON_FIELDS
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person)
    for name, value in changes.items():
        setattr(person, name, value)
    _refresh_person_derived(person)
    _validate_person(person)
    person.save()
    audit.record(action=AuditAction.UPDATE, obj=person, before=before, after=audit.snapshot(person), actor=actor,
                 org_path=_person_path(person))
    return person


@transaction.atomic
def add_membership(
    *, actor: Any, person: Person, organisation: Organisation, position: str = "", since: dt.date | None = None,
) -> Membership:
    _require(actor, Action.ADD, organisation.path)
    _validate_membership(organisation=organisation, since=since)
    if Membership.objects.filter(person=person, organisation=organisation, until__isnull=True,
                                 position=position.strip()).exists():
        raise ValidationError({"organisation": _("This person already holds this position in this unit.")})
    membership = Membership.objects.create(person=person, organisation=organisation, position=position.strip(),
                                           since=since)
    audit.record(action=AuditAction.CREATE, obj=membership, after=audit.snapshot(membership), actor=actor)
    return membership


@transaction.atomic
def end_membership(*, actor: Any, membership: Membership, until: dt.date) -> Membership:
    _require(actor, Action.CHANGE, membership.organisation.path)
    if membership.until is not None:
        raise ValidationError({"until": _("This membership has already ended.")})
    _validate_membership(organisation=membership.organisation, since=membership.since, until=until)
    before = audit.snapshot(membership)
    membership.until = until
    membership.save(update_fields=["until", "updated_at"])
    audit.record(action=AuditAction.UPDATE, obj=membership, before=before, after=audit.snapshot(membership),
                 actor=actor)
    return membership


# --- import and export ------------------------------------------------------------------------


def people_columns() -> list[Column]:
    from django.utils.translation import gettext_lazy

    return [
        Column("full_name", gettext_lazy("Full name"), parse_text(120)),
        Column("organisation", gettext_lazy("Unit code or name"), parse_text(255)),
        Column("position", gettext_lazy("Position"), parse_text(120), required=False),
        Column("since", gettext_lazy("Since"), parse_date, required=False),
        Column("gender", gettext_lazy("Gender"), parse_choice(Gender.choices), required=False),
        Column("birth_date", gettext_lazy("Date of birth"), parse_date, required=False),
        Column("is_party_member", gettext_lazy("Party member"), parse_bool, required=False),
        Column("party_joined_on", gettext_lazy("Joined the party on"), parse_date, required=False),
        Column("phone", gettext_lazy("Phone"), parse_text(20), required=False),
        Column("email", gettext_lazy("E-mail"), parse_text(254), required=False),
    ]


def import_people(*, actor: Any, source: IO[bytes] | bytes) -> list[Person]:
    """All rows or none: every bad cell is reported (row, column, reason) and nothing is written."""
    columns = people_columns()
    sheet = read_sheet(source, columns)
    errors: list[CellError] = list(sheet.errors)
    from chithi.core.permissions import restrict

    allowed_orgs = restrict(Organisation.objects.active(), actor, Action.ADD)
    by_code = {o.code.casefold(): o for o in allowed_orgs.exclude(code="")}
    by_name: dict[str, list[Organisation]] = {}
    for candidate in allowed_orgs:
        by_name.setdefault(fold(candidate.name), []).append(candidate)
    prepared: list[tuple[int, dict[str, Any], Organisation]] = []
    for number, row in sheet.rows:
        # Keep checking a row after a bad cell, so one upload reports every problem at once.
        row_ok = not any(e.row == number for e in errors)
        if row.get("organisation") is None:
            continue
        key = str(row["organisation"])
        found = by_code.get(key.casefold())
        if found is None:
            matches = by_name.get(fold(key), [])
            if len(matches) > 1:
                errors.append(CellError(number, sheet.label("organisation"),
                                        _("Several units are called %(name)s; use the unit code.") % {"name": key}))
                continue
            found = matches[0] if matches else None
        if found is None:
            errors.append(CellError(number, sheet.label("organisation"),
                                    _("No unit %(name)s in your scope.") % {"name": key}))
            continue
        fields = {k: row.get(k) for k in ("gender", "birth_date", "is_party_member", "party_joined_on", "phone",
                                           "email")}
        fields = {k: v for k, v in fields.items() if v is not None}
        if not row.get("full_name"):
            continue
        probe = Person(full_name=row["full_name"], **fields)
        _refresh_person_derived(probe)
        try:
            _validate_person(probe)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                label = sheet.label(field_name)
                errors.extend(CellError(number, label, m) for m in messages)
            continue
        if row_ok:
            prepared.append((number, row | {"_fields": fields}, found))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    people: list[Person] = []
    with transaction.atomic():
        for _number, row, org in prepared:
            people.append(create_person(
                actor=actor, full_name=row["full_name"], organisation=org, position=row.get("position") or "",
                since=row.get("since"), audit_action=AuditAction.IMPORT, **row["_fields"],
            ))
    return people


# --- roles --------------------------------------------------------------------------------------


@transaction.atomic
def assign_role(*, actor: Any, user: User, organisation: Organisation, role: str) -> RoleAssignment:
    _require(actor, Action.MANAGE_ROLES, organisation.path)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if not organisation.is_active:
        raise ValidationError({"organisation": _("%(org)s no longer exists; choose its successor.")
                               % {"org": organisation.name}})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit.record(action=AuditAction.CREATE, obj=assignment, after=audit.snapshot(assignment), actor=actor)
    clear_scope_cache(user)
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment) -> None:
    _require(actor, Action.MANAGE_ROLES, assignment.organisation.path)
    before = audit.snapshot(assignment)
    audit.record(action=AuditAction.DELETE, obj=assignment, before=before, actor=actor)
    assignment.delete()
    clear_scope_cache(assignment.user)


# --- restructuring ------------------------------------------------------------------------------


def _hand_over(*, actor: Any, source: Organisation, successor: Organisation, effective_on: dt.date,
               people: Iterable[Person] | None = None, children: Iterable[Organisation] | None = None) -> None:
    """Move people (open memberships), active sub-units, roles and open records to the successor.

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
                     actor=actor, note=_("moved to %(org)s") % {"org": successor.name})
        moved = Membership.objects.create(person=membership.person, organisation=successor,
                                          position=membership.position, since=effective_on)
        audit.record(action=AuditAction.CREATE, obj=moved, after=audit.snapshot(moved), actor=actor,
                     note=_("from %(org)s") % {"org": source.name})
    child_qs = source.children.filter(dissolved_on__isnull=True)
    if children is not None:
        child_qs = child_qs.filter(pk__in=[c.pk for c in children])
    for child in list(child_qs):
        move_organisation(actor=actor, org=child, new_parent=successor, on_date=effective_on)


def _retire(*, actor: Any, source: Organisation, successor: Organisation, effective_on: dt.date) -> None:
    for assignment in RoleAssignment.objects.filter(organisation=source).select_related("user"):
        if not RoleAssignment.objects.filter(user=assignment.user, organisation=successor,
                                             role=assignment.role).exists():
            moved = RoleAssignment.objects.create(user=assignment.user, organisation=successor, role=assignment.role)
            audit.record(action=AuditAction.CREATE, obj=moved, after=audit.snapshot(moved), actor=actor)
        clear_scope_cache(assignment.user)
    before = audit.snapshot(source)
    Organisation.objects.filter(pk=source.pk).update(dissolved_on=effective_on, successor=successor)
    source.refresh_from_db()
    OrgParentPeriod.objects.filter(organisation=source, until__isnull=True).update(until=effective_on)
    # Each room's declared successor_handler moves its open records (plans, issues…) on, inside this
    # transaction, so a failure in any room undoes the whole restructuring.
    for handler in successor_handlers():
        handler(source=source, successor=successor, effective_on=effective_on, actor=actor)
    audit.record(action=AuditAction.UPDATE, obj=source, before=before, after=audit.snapshot(source), actor=actor,
                 note=_("ceased; successor %(org)s") % {"org": successor.name})


def _check_restructurable(actor: Any, org: Organisation, effective_on: dt.date, field_name: str) -> None:
    _require(actor, Action.RESTRUCTURE, org.path)
    if not org.is_active:
        raise ValidationError({field_name: _("%(org)s no longer exists.") % {"org": org.name}})
    if org.parent_id is None:
        raise ValidationError({field_name: _("The top-level unit cannot be restructured.")})
    if org.established_on and effective_on <= org.established_on:
        raise ValidationError({"effective_on": _("%(org)s was established on %(date)s; the date must be later.")
                               % {"org": org.name, "date": org.established_on.strftime("%d/%m/%Y")}})


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
        if any(s.pk == target.pk for s in sources):
            raise ValidationError({"target": _("A unit cannot be merged into itself.")})
        if not target.is_active:
            raise ValidationError({"target": _("%(org)s no longer exists.") % {"org": target.name}})
        if any(target.path.startswith(s.path) for s in sources):
            raise ValidationError({"target": _("A unit cannot be merged into its own sub-unit.")})
        _require(actor, Action.CHANGE, target.path)
    else:
        parents = {s.parent_id for s in sources}
        if len(parents) != 1:
            raise ValidationError({"sources": _("Units with different parents cannot form one new unit; "
                                                "choose an existing target.")})
        kinds = {s.kind for s in sources}
        assert sources[0].parent is not None  # _check_restructurable refused top-level units
        target = create_organisation(
            actor=actor, name=new_name, kind=kinds.pop() if len(kinds) == 1 else sources[0].kind,
            parent=sources[0].parent, code=new_code, established_on=effective_on,
            audit_note=_("created by merger"),
        )
    event = RestructuringEvent.objects.create(kind=RestructuringKind.MERGE, effective_on=effective_on,
                                              decision=decision, note=note)
    event.sources.set(sources)
    event.results.set([target])
    for source in sources:
        _hand_over(actor=actor, source=source, successor=target, effective_on=effective_on)
        _retire(actor=actor, source=source, successor=target, effective_on=effective_on)
    audit.record(action=AuditAction.MERGE, obj=event, after={"sources": [s.pk for s in sources],
                 "target": target.pk, "effective_on": effective_on.isoformat(), "decision": decision},
                 actor=actor, org_path=target.path)
    target.refresh_from_db()
    return target, event


@dataclass
class SplitPart:
    name: str
    code: str = ""
    people: list[Person] = field(default_factory=list)
    children: list[Organisation] = field(default_factory=list)


@transaction.atomic
def split_organisation(
    *, actor: Any, source: Organisation, parts: Sequence[SplitPart], effective_on: dt.date, decision: str = "",
    note: str = "",
) -> tuple[list[Organisation], RestructuringEvent]:
    """Split a unit into new units under the same parent. People and sub-units not given to a part
    go to the first part, which also becomes the old unit's successor for open records."""
    _check_restructurable(actor, source, effective_on, "source")
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
    assert source.parent is not None
    results: list[Organisation] = []
    for part in parts:
        results.append(create_organisation(
            actor=actor, name=part.name, kind=source.kind, parent=source.parent, code=part.code,
            residential=source.residential, established_on=effective_on, audit_note=_("created by split"),
        ))
    event = RestructuringEvent.objects.create(kind=RestructuringKind.SPLIT, effective_on=effective_on,
                                              decision=decision, note=note)
    event.sources.set([source])
    event.results.set(results)
    for part, result in list(zip(parts, results, strict=True))[1:]:
        _hand_over(actor=actor, source=source, successor=result, effective_on=effective_on,
                   people=part.people, children=part.children)
    # Everyone and everything left goes to the first part.
    _hand_over(actor=actor, source=source, successor=results[0], effective_on=effective_on)
    _retire(actor=actor, source=source, successor=results[0], effective_on=effective_on)
    audit.record(action=AuditAction.SPLIT, obj=event, after={"source": source.pk,
                 "results": [r.pk for r in results], "effective_on": effective_on.isoformat(),
                 "decision": decision}, actor=actor, org_path=source.path)
    return results, event

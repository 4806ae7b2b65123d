"""Working groups: their members, the units they follow, their period, and their attendance at the meetings of
the cells they follow (recorded from the group's side; the meeting shows the same guests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.permissions import Action, restrict
from chithi.core.writes import locked, model_update, require, save_new
from chithi.orgs.models import Organisation, Person

from .. import policy
from ..models import GroupMember, GroupRole, Meeting, MeetingGuest, MeetingStatus, WorkingGroup
from .common import clean_text, raise_if

GROUP_FIELDS = ("name", "starts_on", "ends_on", "note")


def _validate_group(group: WorkingGroup) -> None:
    errors: dict[str, Any] = {}
    group.name = clean_text(errors, "name", group.name, max_length=255, required=True)
    group.note = clean_text(errors, "note", group.note, max_length=5000)
    if not isinstance(group.starts_on, dt.date):
        errors["starts_on"] = _("Give the day the group starts.")
    elif group.ends_on is not None and group.ends_on < group.starts_on:
        errors["ends_on"] = _("The group cannot end before it starts.")
    raise_if(errors)


def _checked_members(actor: Any, members: Iterable[tuple[Any, str]]) -> list[tuple[Person, str]]:
    wanted = [(getattr(p, "pk", p), role) for p, role in members]
    people = {p.pk: p for p in restrict(Person.objects.filter(pk__in=[pk for pk, _r in wanted]), actor, Action.VIEW)}
    errors: list[str] = []
    result: list[tuple[Person, str]] = []
    for pk, role in wanted:
        if pk not in people:
            errors.append(_("Person #%(id)s does not exist.") % {"id": pk})
        elif role not in GroupRole.values:
            errors.append(_("%(name)s: choose the role in the group.") % {"name": people[pk].full_name})
        elif pk not in {p.pk for p, _r in result}:
            result.append((people[pk], role))
    if not result and not errors:
        errors.append(_("A working group has at least one member."))
    if errors:
        raise ValidationError({"members": errors})
    return result


def _checked_units(actor: Any, units: Iterable[Any]) -> list[Organisation]:
    wanted = [getattr(u, "pk", u) for u in units]
    found = {u.pk: u for u in restrict(Organisation.objects.filter(pk__in=wanted), actor, Action.VIEW)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ValidationError({"followed_units": _("Unit #%(id)s does not exist.") % {"id": missing[0]}})
    gone = [u.name for u in found.values() if not u.is_active]
    if gone:
        raise ValidationError({"followed_units": _("%(unit)s no longer exists.") % {"unit": gone[0]}})
    if not found:
        raise ValidationError({"followed_units": _("Choose the units the group follows.")})
    return list(found.values())


@transaction.atomic
def create_group(*, actor: Any, organisation: Organisation, name: str, starts_on: dt.date,
                 ends_on: dt.date | None = None, members: Iterable[tuple[Any, str]] = (),
                 followed_units: Iterable[Any] = (), note: str = "") -> WorkingGroup:
    require(actor, Action.ADD, organisation.path)
    if not organisation.is_active:
        raise ValidationError({"organisation": _("%(unit)s no longer exists.") % {"unit": organisation.name}})
    group = WorkingGroup(organisation=organisation, name=name, starts_on=starts_on, ends_on=ends_on, note=note or "")
    _validate_group(group)
    people = _checked_members(actor, members)
    units = _checked_units(actor, followed_units)
    save_new(group, actor=actor)
    group.followed_units.set(units)
    GroupMember.objects.bulk_create(GroupMember(group=group, person=p, role=r) for p, r in people)
    return group


@transaction.atomic
def update_group(*, actor: Any, group: WorkingGroup, members: Iterable[tuple[Any, str]] | None = None,
                 followed_units: Iterable[Any] | None = None, **changes: Any) -> WorkingGroup:
    require(actor, Action.CHANGE, group.organisation.path)
    group = locked(group)
    policy.GROUP.check(actor, "edit", group)
    group, _changed = model_update(instance=group, data=changes, fields=GROUP_FIELDS, actor=actor,
                                   validate=_validate_group)
    if members is not None:
        people = _checked_members(actor, members)
        before = list(group.members.values_list("person_id", "role"))
        group.members.all().delete()
        GroupMember.objects.bulk_create(GroupMember(group=group, person=p, role=r) for p, r in people)
        audit.record(action=AuditAction.UPDATE, obj=group, actor=actor, before={"members": before},
                     after={"members": [[p.pk, r] for p, r in people]}, org_path=group.organisation.path)
    if followed_units is not None:
        units = _checked_units(actor, followed_units)
        before_units = list(group.followed_units.values_list("pk", flat=True))
        group.followed_units.set(units)
        audit.record(action=AuditAction.UPDATE, obj=group, actor=actor, before={"followed_units": before_units},
                     after={"followed_units": [u.pk for u in units]}, org_path=group.organisation.path)
    return group


def follows(group: WorkingGroup, unit: Organisation) -> bool:
    """Does the group follow this unit (it, or a unit above it, is among the units it follows)?"""
    return any(unit.path.startswith(path) for path in group.followed_units.values_list("path", flat=True))


@transaction.atomic
def record_group_attendance(*, actor: Any, group: WorkingGroup, meeting: Meeting,
                            people: Iterable[Any]) -> list[MeetingGuest]:
    """The group's members who attended a meeting of a cell it follows: they become the meeting's guests."""
    require(actor, Action.CHANGE, group.organisation.path)
    policy.GROUP.check(actor, "attend", group)
    errors: dict[str, Any] = {}
    if not restrict(Meeting.objects.filter(pk=meeting.pk), actor, Action.VIEW).exists():
        raise ValidationError({"meeting": _("Choose a meeting from the list.")})
    if not follows(group, meeting.organisation):
        errors["meeting"] = _("%(cell)s is not among the units the group follows.") % {
            "cell": meeting.organisation.name}
    elif meeting.status == MeetingStatus.CANCELLED:
        errors["meeting"] = _("The meeting was cancelled.")
    elif not group.is_active_on(meeting.local_date()):
        errors["meeting"] = _("The meeting falls outside the group's period.")
    elif (latest := policy.latest_minutes(meeting)) is not None and latest.is_approved:
        errors["meeting"] = _("The minutes are approved: correct them with a new version and its reason.")
    members = {m.person_id: m for m in group.members.select_related("person")}
    chosen = [getattr(p, "pk", p) for p in people]
    strangers = [str(pk) for pk in chosen if pk not in members]
    if strangers:
        errors["people"] = _("Only the group's members can be recorded.")
    elif not chosen:
        errors["people"] = _("Choose who attended.")
    raise_if(errors)
    already = set(meeting.guests.filter(person_id__in=chosen).values_list("person_id", flat=True))
    guests = []
    for pk in chosen:
        if pk in already:
            continue
        member = members[pk]
        title = f"{member.get_role_display()} — {group.name}"[:200]
        guests.append(save_new(MeetingGuest(meeting=meeting, name=member.person.full_name, title=title,
                                            person=member.person, group=group), actor=actor, related=group,
                               org_path=meeting.organisation.path))
    return guests

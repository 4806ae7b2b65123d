"""The roll call of a meeting (every member of the cell on that day, official and probationary) and its guests.

The meeting's attendance figures are written on the meeting row in the same transaction, so a roll-up over a
province reads meetings, never the attendance rows (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.writes import save_new
from chithi.orgs.models import Person

from ..models import AbsenceReason, Attendance, AttendanceStatus, Meeting, MeetingGuest, MeetingStatus
from ..selectors.meetings import roster
from .common import changing_meeting, clean_text, fmt, raise_if, visible_person

COUNTERS = ("roster_official", "roster_probationary", "present_official", "present_probationary", "absent_excused",
            "absent_unexcused", "exempt_absent")


def counters(meeting: Meeting) -> dict[str, int]:
    return {name: getattr(meeting, name) for name in COUNTERS}


def _person_id(value: Any) -> Any:
    return value.pk if isinstance(value, Person) else value


@transaction.atomic
def record_attendance(*, actor: Any, meeting: Meeting, entries: Iterable[Mapping[str, Any]]) -> Meeting:
    """Record the whole roll call at once: one entry ({person, status, reason, note}) for every member of the cell
    on the meeting's day, and none for anyone else. All or nothing."""
    meeting = changing_meeting(actor, meeting, "attendance")
    day = meeting.local_date()
    members = {entry.person.pk: entry for entry in roster(cell=meeting.organisation, day=day)}
    errors: list[str] = []
    rows: dict[int, Attendance] = {}
    for entry in entries:
        pk = _person_id(entry.get("person"))
        member = members.get(pk)
        if member is None:
            known = visible_person(actor, pk)
            name = known.full_name if known else _("person #%(id)s") % {"id": pk}
            errors.append(_("%(name)s was not a member of %(cell)s on %(date)s.") % {
                "name": name, "cell": meeting.organisation.name, "date": fmt(day)})
            continue
        name = member.person.full_name
        if pk in rows:
            errors.append(_("%(name)s is listed twice.") % {"name": name})
            continue
        status = entry.get("status") or ""
        reason = entry.get("reason") or ""
        if status not in AttendanceStatus.values:
            errors.append(_("%(name)s: choose present, absent or exempt.") % {"name": name})
            continue
        if status == AttendanceStatus.EXCUSED and reason not in AbsenceReason.values:
            errors.append(_("%(name)s: give the reason for the absence.") % {"name": name})
            continue
        if status == AttendanceStatus.EXEMPT and not member.exempt:
            errors.append(_("%(name)s is not exempt from party activities on %(date)s.") % {
                "name": name, "date": fmt(day)})
            continue
        note_errors: dict[str, Any] = {}
        note = clean_text(note_errors, "note", entry.get("note"), max_length=300)
        if note_errors:
            errors.append(f"{name}: {note_errors['note']}")
            continue
        rows[pk] = Attendance(meeting=meeting, person=member.person, status=status, note=note,
                              reason=reason if status == AttendanceStatus.EXCUSED else "",
                              probationary=member.probationary)
    missing = [members[pk].person.full_name for pk in members if pk not in rows]
    if missing and not errors:
        errors.append(_("Mark every member of the cell: %(names)s.") % {"names": ", ".join(missing)})
    if errors:
        raise ValidationError({"attendance": errors})
    before = counters(meeting)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(rows.values())
    _count(meeting, rows.values(), members.values())
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=[*COUNTERS, "status", "updated_at"])
    audit.record(action=AuditAction.UPDATE, obj=meeting, before=before, after=counters(meeting), actor=actor,
                 note=_("attendance recorded"))
    return meeting


def _count(meeting: Meeting, rows: Iterable[Attendance], members: Iterable[Any]) -> None:
    members = list(members)
    meeting.roster_official = sum(1 for m in members if not m.probationary)
    meeting.roster_probationary = sum(1 for m in members if m.probationary)
    meeting.present_official = meeting.present_probationary = 0
    meeting.absent_excused = meeting.absent_unexcused = meeting.exempt_absent = 0
    for row in rows:
        if row.status == AttendanceStatus.PRESENT:
            if row.probationary:
                meeting.present_probationary += 1
            else:
                meeting.present_official += 1
        elif row.status == AttendanceStatus.EXCUSED:
            meeting.absent_excused += 1
        elif row.status == AttendanceStatus.UNEXCUSED:
            meeting.absent_unexcused += 1
        else:
            meeting.exempt_absent += 1


def _clean_guest(errors: dict[str, Any], name: str, title: str) -> tuple[str, str]:
    return (clean_text(errors, "name", name, max_length=120, required=True),
            clean_text(errors, "title", title, max_length=200))


@transaction.atomic
def add_guest(*, actor: Any, meeting: Meeting, name: str, title: str = "",
              person: Person | None = None) -> MeetingGuest:
    changing_meeting(actor, meeting, "guests", lock=False)
    errors: dict[str, Any] = {}
    name, title = _clean_guest(errors, name, title)
    raise_if(errors)
    return save_new(MeetingGuest(meeting=meeting, name=name, title=title, person=person), actor=actor,
                    related=meeting)


@transaction.atomic
def remove_guest(*, actor: Any, guest: MeetingGuest) -> None:
    changing_meeting(actor, guest.meeting, "guests", lock=False)
    audit.record(action=AuditAction.DELETE, obj=guest, before=audit.snapshot(guest), actor=actor,
                 related=guest.meeting, org_path=guest.meeting.organisation.path)
    guest.delete()

"""The minutes of a meeting (versioned: an approved version never changes, a correction is a new version with
its reason), the self-assessed quality score, the resolution's tasks and their review at the next meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.writes import acting_user, locked, model_update, save_new
from chithi.orgs.models import Person

from .. import policy, rules
from ..models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MinutesStatus,
    MinutesVersion,
    ResolutionTask,
    TaskOutcome,
)
from ..selectors.meetings import previous_open_tasks, roster
from .attendance import counters
from .common import changing_meeting, clean_text, fmt, raise_if, required_text

MINUTES_FIELDS = ("chair", "secretary", "started_at", "ended_at", "report", "remarks", "conclusions", "resolution",
                  "votes_for", "votes_total", "score_parts", "score", "grade")


def _present_ids(meeting: Meeting) -> set[int]:
    return set(Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT)
               .values_list("person_id", flat=True))


def _pk(value: Any) -> Any:
    return value.pk if isinstance(value, Person) else value


def _as_int(value: Any) -> int:
    """A form's or an API's id, or -1 (which matches nothing) for anything else."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _clean_remarks(errors: dict[str, Any], remarks: Iterable[Mapping[str, Any]], present: dict[int, str],
                   items: set[int]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, remark in enumerate(remarks, start=1):
        text = str(remark.get("text") or "").strip()
        person = _pk(remark.get("person"))
        name = str(remark.get("name") or "").strip()[:120]
        item = remark.get("item")
        if not text:
            continue  # an empty row of the form
        if person not in (None, ""):
            person = _as_int(person)
            if person not in present:
                problems.append(_("Remark %(n)d: the speaker must be a member present at the meeting.") % {"n": number})
                continue
            name = present[person]
        elif not name:
            problems.append(_("Remark %(n)d: say who spoke.") % {"n": number})
            continue
        else:
            person = None
        if item not in (None, ""):
            item = _as_int(item)
            if item not in items:
                problems.append(_("Remark %(n)d: choose an item of this meeting's agenda.") % {"n": number})
                continue
        else:
            item = None
        if len(text) > 2000:
            problems.append(_("Remark %(n)d: at most %(max)d characters.") % {"n": number, "max": 2000})
            continue
        cleaned.append({"person": person, "name": name, "item": item, "text": text})
    if problems:
        errors["remarks"] = problems
    return cleaned


def _clean_score(errors: dict[str, Any], parts: Mapping[str, Any]) -> tuple[dict[str, int], int | None]:
    frame = {key: (label, points) for key, label, points in rules.score_frame()}
    cleaned: dict[str, int] = {}
    problems: list[str] = []
    for key, value in parts.items():
        if value in (None, ""):
            continue
        if key not in frame:
            problems.append(_("Unknown criterion %(key)s.") % {"key": key})
            continue
        label, points = frame[key]
        number = _as_int(value)
        if not 0 <= number <= points:
            problems.append(_("%(criterion)s: between 0 and %(max)d points.") % {"criterion": label, "max": points})
            continue
        cleaned[key] = number
    if problems:
        errors["score_parts"] = problems
    total = sum(cleaned.values()) if cleaned and set(cleaned) == set(frame) else None
    return cleaned, total


def _validated(meeting: Meeting, data: dict[str, Any]) -> dict[str, Any]:
    """Check a minutes draft against the meeting: speakers present, items of its agenda, votes within the
    official members present (probationary members do not vote)."""
    errors: dict[str, Any] = {}
    present = dict(Person.objects.filter(pk__in=_present_ids(meeting)).values_list("pk", "full_name"))
    for field, label in (("chair", _("The chair")), ("secretary", _("The minute-taker"))):
        value = data.get(field)
        if value is not None and _pk(value) not in present:
            errors[field] = _("%(who)s must be a member present at the meeting.") % {"who": label}
    items = set(meeting.agenda.values_list("pk", flat=True))
    if "remarks" in data:
        data["remarks"] = _clean_remarks(errors, data.get("remarks") or [], present, items)
    if "conclusions" in data:
        conclusions: dict[str, str] = {}
        for key, text in (data.get("conclusions") or {}).items():
            text = str(text or "").strip()
            item = _as_int(key)
            if item not in items:
                errors["conclusions"] = _("A conclusion must belong to an item of this meeting's agenda.")
            elif text:
                conclusions[str(item)] = text[:3000]
        data["conclusions"] = conclusions
    for field in ("report", "resolution"):
        if field in data:
            data[field] = clean_text(errors, field, data[field], max_length=20000)
    started, ended = data.get("started_at"), data.get("ended_at")
    if isinstance(started, dt.time) and isinstance(ended, dt.time) and ended <= started:
        errors["ended_at"] = _("The meeting must end after it started.")
    votes_for, votes_total = data.get("votes_for"), data.get("votes_total")
    if votes_total is not None and votes_total > meeting.present_official:
        errors["votes_total"] = _("At most the %(n)d official members present vote (probationary members do not).") \
            % {"n": meeting.present_official}
    if votes_for is not None and votes_total is not None and votes_for > votes_total:
        errors["votes_for"] = _("More votes for than members voting.")
    if "score_parts" in data:
        data["score_parts"], data["score"] = _clean_score(errors, data.get("score_parts") or {})
        data["grade"] = rules.grade_for(data["score"])
    raise_if(errors)
    return data


@transaction.atomic
def save_minutes(*, actor: Any, meeting: Meeting, **data: Any) -> MinutesVersion:
    """Write the minutes' draft: the first version, or the newest version while it is a draft."""
    meeting = changing_meeting(actor, meeting, "minutes")
    unknown = set(data) - (set(MINUTES_FIELDS) - {"score", "grade"})  # the score follows from its parts
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    data = _validated(meeting, dict(data))
    draft = policy.latest_minutes(meeting)
    if draft is None:
        version = MinutesVersion(meeting=meeting, number=1, created_by=acting_user(actor), **data)
        return save_new(version, actor=actor, related=meeting)
    version, _changed = model_update(instance=locked(draft), data=data, fields=MINUTES_FIELDS, actor=actor,
                                     related=meeting)
    return version


@transaction.atomic
def approve_minutes(*, actor: Any, meeting: Meeting) -> MinutesVersion:
    """Approve the draft: from now on it never changes (a correction is a new version)."""
    meeting = changing_meeting(actor, meeting, "approve")
    latest = policy.latest_minutes(meeting)
    assert latest is not None  # the policy allowed "approve"
    version, _changed = model_update(
        instance=locked(latest), fields=("status", "approved_at", "approved_by", "attendance_snapshot"), actor=actor,
        related=meeting, data={"status": MinutesStatus.APPROVED, "approved_at": timezone.now(),
                               "approved_by": acting_user(actor), "attendance_snapshot": counters(meeting)})
    return version


@transaction.atomic
def correct_minutes(*, actor: Any, meeting: Meeting, reason: str) -> MinutesVersion:
    """Open a correction: a new draft version, a copy of the approved one, carrying the reason."""
    meeting = changing_meeting(actor, meeting, "correct")
    reason = required_text("reason", reason, max_length=500, min_length=10)
    approved = policy.latest_minutes(meeting)
    assert approved is not None
    copy = MinutesVersion(meeting=meeting, number=approved.number + 1, reason=reason, created_by=acting_user(actor),
                          **{name: getattr(approved, name) for name in MINUTES_FIELDS})
    version = save_new(copy, actor=actor, related=meeting, note=reason)
    policy.forget_latest_minutes(meeting)
    return version


@transaction.atomic
def add_resolution_task(*, actor: Any, meeting: Meeting, title: str, assignee: Person | None = None,
                        due_on: dt.date | None = None) -> ResolutionTask:
    changing_meeting(actor, meeting, "tasks", lock=False)
    errors: dict[str, Any] = {}
    title = clean_text(errors, "title", title, max_length=500, required=True)
    day = meeting.local_date()
    if assignee is not None and assignee.pk not in {e.person.pk for e in roster(cell=meeting.organisation, day=day)}:
        errors["assignee"] = _("Tasks are assigned to members of the cell.")
    if due_on is not None and due_on < day:
        errors["due_on"] = _("The deadline cannot be before the meeting (%(date)s).") % {"date": fmt(day)}
    raise_if(errors)
    return save_new(ResolutionTask(meeting=meeting, title=title, assignee=assignee, due_on=due_on), actor=actor,
                    related=meeting)


@transaction.atomic
def review_tasks(*, actor: Any, meeting: Meeting, outcomes: Iterable[Mapping[str, Any]]) -> list[ResolutionTask]:
    """At this meeting, say how each task of the earlier resolutions went ({task, outcome, note})."""
    changing_meeting(actor, meeting, "review", lock=False)
    open_tasks = {t.pk: t for t in previous_open_tasks(meeting)}
    reviewed: list[ResolutionTask] = []
    problems: list[str] = []
    for entry in outcomes:
        task_id = _pk(entry.get("task"))
        task_id = getattr(task_id, "pk", task_id)
        task = open_tasks.get(task_id)
        outcome = entry.get("outcome") or TaskOutcome.OPEN
        if task is None:
            problems.append(_("Task #%(id)s is not waiting for review at this meeting.") % {"id": task_id})
            continue
        if outcome == TaskOutcome.OPEN:
            continue
        if outcome not in TaskOutcome.values:
            problems.append(_("%(task)s: unknown outcome.") % {"task": task.title})
            continue
        note = str(entry.get("note") or "").strip()[:500]
        task, _changed = model_update(instance=task, fields=("outcome", "review_note", "reviewed_at"),
                                      data={"outcome": outcome, "review_note": note, "reviewed_at": meeting},
                                      actor=actor, related=meeting, org_path=meeting.organisation.path)
        reviewed.append(task)
    if problems:
        raise ValidationError({"outcomes": problems})
    return reviewed


def delete_resolution_task(*, actor: Any, task: ResolutionTask) -> None:
    with transaction.atomic():
        changing_meeting(actor, task.meeting, "tasks", lock=False)
        audit.record(action=AuditAction.DELETE, obj=task, before=audit.snapshot(task), actor=actor,
                     related=task.meeting, org_path=task.meeting.organisation.path)
        task.delete()

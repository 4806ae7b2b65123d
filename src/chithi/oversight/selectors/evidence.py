"""Figures the product already holds, read for an inspection case (a unit over a period) and beside each
criterion of an evaluation (a unit or a member over a year). Each source is one aggregate query whatever the
number of members: the panel's cost does not grow with the unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.campaigns.models import PlanTask, TaskStatus
from chithi.core.numbers import percent
from chithi.dialogues.models import Issue
from chithi.grassroots.models import Attendance, AttendanceStatus, Commitment, Meeting, MeetingStatus
from chithi.orgs.models import Organisation, Person
from chithi.practices.models import Practice

from ..models import Award, Case, Discipline, EvidenceSource, Remedy, RemedyStatus


def _tasks(qs: Any, end: dt.date) -> dict[str, Any]:
    row = qs.aggregate(
        total=Count("id", distinct=True),
        done=Count("id", filter=Q(status=TaskStatus.DONE), distinct=True),
        on_time=Count("id", filter=Q(status=TaskStatus.DONE, completed_on__lte=F("deadline")), distinct=True),
        late=Count("id", filter=Q(status=TaskStatus.DONE, completed_on__gt=F("deadline"))
                   | Q(status__in=[TaskStatus.PLANNED, TaskStatus.IN_PROGRESS], deadline__lt=end), distinct=True),
    )
    return {k: row[k] or 0 for k in ("total", "done", "on_time", "late")}


def _unit_tasks(unit: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    qs = PlanTask.objects.filter(plan__organisation__path__startswith=unit.path, deadline__range=(start, end)) \
        .exclude(status=TaskStatus.CANCELLED)
    return {**_tasks(qs, end), "url": reverse("campaigns:task_list") + f"?unit={unit.pk}"}


def _unit_meetings(unit: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = Meeting.objects.filter(organisation__path__startswith=unit.path,
                                 starts_at__date__range=(start, end)).aggregate(
        planned=Count("id"), held=Count("id", filter=Q(status=MeetingStatus.HELD)),
        present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
        roster=Count("attendance"))
    rate = percent(row["present"], row["roster"], digits=None)
    return {"planned": row["planned"], "held": row["held"], "attendance_percent": rate,
            "url": reverse("grassroots:meeting_list") + f"?unit={unit.pk}"}


def _unit_practices(unit: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = Practice.objects.filter(organisation__path__startswith=unit.path, started_on__lte=end).aggregate(
        running=Count("id"), replicated=Count("id", filter=Q(lineage_depth__gt=0)), new=Count(
            "id", filter=Q(started_on__gte=start)))
    return {**row, "url": reverse("practices:registry") + f"?unit={unit.pk}"}


def _unit_issues(unit: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = Issue.objects.filter(organisation__path__startswith=unit.path,
                               received_at__date__range=(start, end)).aggregate(
        received=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("answer_due_on"))))
    return {**row, "url": reverse("dialogues:issue_queue") + f"?unit={unit.pk}"}


def unit_figures(unit: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Plan progress, meetings, practices and issues of a unit's subtree over a period (JSON-ready)."""
    return {
        "period": [start.isoformat(), end.isoformat()],
        "tasks": _unit_tasks(unit, start, end), "meetings": _unit_meetings(unit, start, end),
        "practices": _unit_practices(unit, start, end), "issues": _unit_issues(unit, start, end),
    }


def _oversight(q_case: Q, start: dt.date, end: dt.date) -> dict[str, Any]:
    cases = Case.objects.filter(q_case, decided_on__range=(start, end))
    remedies = Remedy.objects.filter(case__in=cases).aggregate(
        total=Count("id"), verified=Count("id", filter=Q(status=RemedyStatus.VERIFIED)),
        overdue=Count("id", filter=Q(deadline__lt=end) & ~Q(status=RemedyStatus.VERIFIED)))
    return {"cases": cases.count(), "remedies": remedies["total"], "remedies_done": remedies["verified"],
            "remedies_overdue": remedies["overdue"], "url": reverse("oversight:case_list")}


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def collective_evidence(unit: Organisation, year: int) -> dict[str, dict[str, Any]]:
    start, end = _year(year)
    disciplined = Discipline.objects.filter(organisation__path__startswith=unit.path, decided_on__range=(start, end))
    return {
        EvidenceSource.TASKS: _unit_tasks(unit, start, end),
        EvidenceSource.MEETINGS: _unit_meetings(unit, start, end),
        EvidenceSource.PRACTICES: _unit_practices(unit, start, end),
        EvidenceSource.ISSUES: _unit_issues(unit, start, end),
        EvidenceSource.OVERSIGHT: _oversight(Q(inspected_unit=unit), start, end),
        EvidenceSource.DISCIPLINE: {
            "own": disciplined.filter(organisation=unit, person__isnull=True).count(),
            "subordinate": disciplined.exclude(organisation=unit, person__isnull=True).count()},
        EvidenceSource.COMMITMENT: _commitments(unit, year),
        EvidenceSource.COMMENDATIONS: {"count": Award.objects.filter(organisation=unit, person__isnull=True,
                                                                     awarded_on__range=(start, end)).count()},
    }


def _commitments(unit: Organisation, year: int) -> dict[str, Any]:
    row = Commitment.objects.filter(organisation__path__startswith=unit.path, year=year).aggregate(
        total=Count("id"), reviewed=Count("id", filter=~Q(review_grade="")))
    return {**row, "url": reverse("grassroots:commitment_list") + f"?unit={unit.pk}&year={year}"}


def member_evidence(person: Person, year: int) -> dict[str, dict[str, Any]]:
    """One member's figures: eight queries, whatever the size of their cell or the province."""
    start, end = _year(year)
    tasks = _tasks(PlanTask.objects.filter(owner_people=person, deadline__range=(start, end))
                   .exclude(status=TaskStatus.CANCELLED), end)
    # A plain range on the timestamp (not __date): the index on the meeting's time stays usable.
    since, until = (timezone.make_aware(dt.datetime.combine(day, dt.time())) for day in (start, end + dt.timedelta(1)))
    attendance = Attendance.objects.filter(person=person, meeting__starts_at__gte=since,
                                           meeting__starts_at__lt=until,
                                           meeting__status=MeetingStatus.HELD).aggregate(
        meetings=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        unexcused=Count("id", filter=Q(status=AttendanceStatus.UNEXCUSED)))
    commitment = Commitment.objects.filter(person=person, year=year).first()
    # one place for every commendation, the practices' ones included (models/awards.py)
    awards = list(Award.objects.filter(person=person, awarded_on__range=(start, end)).values_list("form", flat=True))
    disciplines = list(Discipline.objects.filter(person=person, decided_on__range=(start, end))
                       .values_list("form", flat=True))
    return {
        EvidenceSource.TASKS: tasks,
        EvidenceSource.MEETINGS: {**attendance, "url": reverse("grassroots:my_calendar")},
        EvidenceSource.COMMITMENT: {
            "grade": commitment.get_review_grade_display() if commitment and commitment.review_grade else "",
            "written": commitment is not None,
            "url": commitment.get_absolute_url() if commitment else ""},
        EvidenceSource.PRACTICES: {"count": Practice.objects.filter(awards__person=person).distinct().count()},
        EvidenceSource.ISSUES: {},
        EvidenceSource.OVERSIGHT: _oversight(Q(inspected_person=person), start, end),
        EvidenceSource.DISCIPLINE: {"own": len(disciplines), "forms": disciplines, "subordinate": 0},
        EvidenceSource.COMMENDATIONS: {"count": len(awards), "forms": awards},
    }


def evidence_lines(evidence: dict[str, Any], source: str) -> list[str]:
    """The figures of one source in words, for the page beside the criterion."""
    data = evidence.get(source) or {}
    if not data:
        return []
    if source == EvidenceSource.TASKS:
        return [_("%(done)s of %(total)s plan tasks done, %(on_time)s on time, %(late)s late") % data]
    if source == EvidenceSource.MEETINGS:
        if "held" in data:
            line = _("%(held)s of %(planned)s cell meetings held") % data
            if data.get("attendance_percent") is not None:
                line += _(", attendance %(attendance_percent)s%%") % data
            return [line]
        return [_("present at %(present)s of %(meetings)s meetings, %(unexcused)s absences without a reason")
                % data]
    if source == EvidenceSource.COMMITMENT:
        if "total" in data:
            return [_("%(reviewed)s of %(total)s commitments reviewed") % data]
        if not data.get("written"):
            return [_("no commitment written this year")]
        return [_("commitment reviewed: %(grade)s") % data if data.get("grade") else _("commitment not reviewed yet")]
    if source == EvidenceSource.PRACTICES:
        if "running" in data:
            return [_("%(running)s practices run, %(replicated)s replicated, %(new)s new this year") % data]
        return [_("%(count)s practices commended with the member") % data]
    if source == EvidenceSource.ISSUES:
        return [_("%(answered)s of %(received)s citizens' issues answered, %(on_time)s on time") % data]
    if source == EvidenceSource.OVERSIGHT:
        return [_("%(cases)s inspection cases; remedial work %(remedies_done)s of %(remedies)s done, "
                  "%(remedies_overdue)s overdue") % data]
    if source == EvidenceSource.DISCIPLINE:
        if data.get("own") or data.get("subordinate"):
            return [_("disciplined this year: %(own)s; below: %(subordinate)s") % data]
        return [_("no discipline this year")]
    if source == EvidenceSource.COMMENDATIONS:
        return [_("%(count)s commendations this year") % data]
    return []

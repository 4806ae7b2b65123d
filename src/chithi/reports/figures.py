"""The figures of a report and of a dashboard: one definition, read from the other rooms' models at a period's
cut-off and summed over each unit's subtree (materialised paths), from the reporting database.

Every figure is a count, so a parent's figure is the sum of its sub-units' (plus what the parent itself holds):
that is what lets the compiled report be checked against the sub-units' reports and against the live figures.
Rates (done %, on time %, attendance %) are derived from the counts, never summed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chithi.campaigns.models import OPEN_STATUSES, TaskStatus
from chithi.campaigns.selectors import visible_tasks
from chithi.core.db_routers import reporting_db
from chithi.core.permissions import path_q, restrict
from chithi.core.workdays import local_span
from chithi.dialogues.selectors import visible_issues
from chithi.grassroots.models import MeetingStatus
from chithi.grassroots.selectors.meetings import visible_meetings
from chithi.orgs.models import Organisation
from chithi.practices.models import PracticeStatus
from chithi.practices.selectors import visible_practices


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    group: Any


PLAN, MEETINGS, PRACTICES, ISSUES = _("Plan progress"), _("Cell meetings"), _("Good-practice models"), \
    _("Citizens' issues")
FIGURES: tuple[Figure, ...] = (
    Figure("tasks_total", _("Plan tasks due in the period"), PLAN),
    Figure("tasks_done", _("Tasks done"), PLAN),
    Figure("tasks_overdue", _("Tasks overdue"), PLAN),
    Figure("meetings_held", _("Meetings held"), MEETINGS),
    Figure("attendance_present", _("Members present (sum over meetings)"), MEETINGS),
    Figure("attendance_expected", _("Members expected (sum over meetings)"), MEETINGS),
    Figure("practices_running", _("Models running"), PRACTICES),
    Figure("practices_new", _("New models in the period"), PRACTICES),
    Figure("issues_received", _("Issues received"), ISSUES),
    Figure("issues_answered", _("Issues answered"), ISSUES),
    Figure("issues_on_time", _("Issues answered on time"), ISSUES),
)
KEYS = tuple(f.key for f in FIGURES)
# A figure typed over the computed one is a count of a unit's tasks, meetings, visits or issues in a period: ten
# million is beyond any province's, and a tester's 88888888888888888888888 was saved and printed in the report.
MAX_TYPED = 10_000_000
LABELS = {f.key: f.label for f in FIGURES}


def empty() -> dict[str, int]:
    return dict.fromkeys(KEYS, 0)


def rate(part: Any, whole: Any) -> float | None:
    """part / whole in per cent, one decimal; None when there is nothing to divide."""
    try:
        return round(100.0 * float(part) / float(whole), 1) if whole else None
    except (TypeError, ValueError):
        return None


def rates(figures: dict[str, Any]) -> dict[str, float | None]:
    return {
        "tasks_done_pct": rate(figures.get("tasks_done"), figures.get("tasks_total")),
        "attendance_pct": rate(figures.get("attendance_present"), figures.get("attendance_expected")),
        # Of the answered ones, as dialogues.figures and the public figures count it (an open issue not yet due
        # is not late).
        "issues_on_time_pct": rate(figures.get("issues_on_time"), figures.get("issues_answered")),
    }


def _bucket(rows: Iterable[dict[str, Any]], path_key: str, units: Sequence[Organisation],
            out: dict[str, dict[str, int]], names: Sequence[str]) -> None:
    """Add each row (grouped by an organisation path) to every requested unit whose subtree holds it: the unit
    paths among the row path's prefixes, looked up one segment at a time (a province's 3,000 cells against its
    169 units was half a million prefix tests)."""
    wanted = {unit.path for unit in units}
    for row in rows:
        path = row[path_key] or ""
        for end in (index + 1 for index, char in enumerate(path) if char == "/"):
            if path[:end] in wanted:
                figures = out[path[:end]]
                for name in names:
                    figures[name] += int(row[name] or 0)


def _scoped(queryset: QuerySet[Any], field: str, units: Sequence[Organisation], using: str) -> QuerySet[Any]:
    return queryset.using(using).filter(path_q(field, _minimal([u.path for u in units])))


def _count_into(out: dict[str, dict[str, int]], units: Sequence[Organisation], using: str,
                queryset: QuerySet[Any], path_field: str, **aggregates: Any) -> None:
    """One grouped query: the aggregates per organisation path under the units, added to each unit's figures
    (so the number of queries does not grow with the number of units)."""
    rows = _scoped(queryset, path_field, units, using).values(path_field).annotate(**aggregates).order_by()
    _bucket(rows, path_field, units, out, tuple(aggregates))


def _minimal(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def figures_for(*, units: Sequence[Organisation], start: dt.date, end: dt.date, user: Any = None,
                today: dt.date | None = None, using: str | None = None) -> dict[str, dict[str, int]]:
    """{unit path: {figure: value}} for each unit's subtree in [start, end]; four grouped queries in all.

    With `user`, only what the user may see counts (dashboards); without, everything (a report's own figures,
    computed by the service for the unit that reports). Read from `using`: the reporting database (a replica when
    one is configured) unless a service inside its write transaction asks for "default".
    """
    db = using or reporting_db()
    today = today or timezone.localdate()
    cutoff = min(end, today - dt.timedelta(days=1))
    out = {unit.path: empty() for unit in units}
    if not units:
        return out
    since, until = local_span(start, end)
    from chithi.campaigns.models import PlanTask
    from chithi.dialogues.models import Issue
    from chithi.grassroots.models import Meeting
    from chithi.practices.models import Practice

    tasks = visible_tasks(user) if user is not None else PlanTask.objects.all()
    _count_into(out, units, db, tasks.filter(deadline__gte=start, deadline__lte=end)
                .exclude(status=TaskStatus.CANCELLED), "plan__organisation__path",
                tasks_total=Count("id"), tasks_done=Count("id", filter=Q(status=TaskStatus.DONE)),
                tasks_overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lte=cutoff)))

    meetings = visible_meetings(user) if user is not None else Meeting.objects.all()
    _count_into(out, units, db, meetings.filter(status=MeetingStatus.HELD, starts_at__gte=since,
                                                starts_at__lt=until), "organisation__path",
                meetings_held=Count("id"),
                attendance_present=Sum(F("present_official") + F("present_probationary")),
                attendance_expected=Sum(F("roster_official") + F("roster_probationary")))

    practices = visible_practices(user) if user is not None else Practice.objects.all()
    _count_into(out, units, db, practices.filter(started_on__lte=end), "organisation__path",
                practices_running=Count("id", filter=~Q(status=PracticeStatus.STOPPED)),
                practices_new=Count("id", filter=Q(started_on__gte=start)))

    issues = visible_issues(user) if user is not None else Issue.objects.all()
    answered = Q(answered_at__isnull=False, answered_at__lt=until)
    # A range on the stored moments, not `received_at__date`: a date cast on every row cannot use the index on
    # (organisation, received_at), and a province's year is 300,000 of ten million rows.
    _count_into(out, units, db, issues.filter(received_at__gte=since, received_at__lt=until),
                "organisation__path", issues_received=Count("id"), issues_answered=Count("id", filter=answered),
                issues_on_time=Count("id", filter=answered & Q(answered_at__date__lte=F("answer_due_on"))))
    return out


def unit_figures(*, unit: Organisation, start: dt.date, end: dt.date, user: Any = None,
                 today: dt.date | None = None, using: str | None = None) -> dict[str, int]:
    return figures_for(units=[unit], start=start, end=end, user=user, today=today, using=using)[unit.path]


def total(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    result = empty()
    for row in rows:
        for key in KEYS:
            try:
                result[key] += int(row.get(key) or 0)
            except (TypeError, ValueError):
                continue
    return result


# --- the dashboard's other figures: field work (grassroots) and inspection findings (oversight) ----------------
# Not part of a report's figures (FIGURES, stored in each report): they are read live for the dashboard only.

FIELDWORK_GROUP, OVERSIGHT_GROUP = _("Field work"), _("Inspection")
FIELDWORK: tuple[Figure, ...] = (
    Figure("visits_done", _("Household visits done"), FIELDWORK_GROUP),
    Figure("help_done", _("Home help done"), FIELDWORK_GROUP),
    Figure("findings_open", _("Inspection findings open"), OVERSIGHT_GROUP),
    Figure("findings_overdue", _("Inspection findings overdue"), OVERSIGHT_GROUP),
)


def fieldwork_for(*, units: Sequence[Organisation], start: dt.date, end: dt.date, user: Any,
                  today: dt.date | None = None, using: str | None = None) -> dict[str, dict[str, int]]:
    """{unit path: {figure: value}} of FIELDWORK for each unit's subtree, as `user` may see it; three grouped
    queries in all. Visits count under the working group's unit, home help under the handling unit, a finding
    (a case's recommendation and the remedial work it became) under the unit in charge of it; a finding is open
    at the period's end when it was decided by then and not verified and closed by then."""
    from chithi.grassroots.models import HelpOutcome, VisitStatus
    from chithi.grassroots.selectors.fieldwork import visible_requests, visible_visits
    from chithi.oversight.models import Remedy, RemedyStatus
    from chithi.oversight.policy import SEE

    db = using or reporting_db()
    today = today or timezone.localdate()
    cutoff = min(end, today - dt.timedelta(days=1))
    out = {unit.path: dict.fromkeys((f.key for f in FIELDWORK), 0) for unit in units}
    if not units:
        return out
    since, until = local_span(start, end)
    _count_into(out, units, db, visible_visits(user).filter(status=VisitStatus.DONE, starts_at__gte=since,
                                                            starts_at__lt=until),
                "group__organisation__path", visits_done=Count("id"))
    _count_into(out, units, db, visible_requests(user).filter(outcome=HelpOutcome.DONE, slot_start__gte=since,
                                                              slot_start__lt=until),
                "organisation__path", help_done=Count("id"))
    still_open = Q(case__decided_on__lte=end) & (~Q(status=RemedyStatus.VERIFIED) | Q(verified_on__gt=end))
    _count_into(out, units, db, restrict(Remedy.objects.all(), user, SEE).filter(still_open),
                "owner_unit__path", findings_open=Count("id"),
                findings_overdue=Count("id", filter=Q(deadline__lte=cutoff)))
    return out

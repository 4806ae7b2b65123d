"""Reads of the reports room, always scoped: rounds and reports, the dashboard of a unit and period with its
sub-units (drill-down), and the "my work today" panel of the signed-in home page for each role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from chithi.core.db_routers import reporting_db
from chithi.core.permissions import Action, Role, get_scoped_or_404, restrict, scope_paths
from chithi.dialogues import figures as issue_figures
from chithi.dialogues.figures import Breakdown as IssueBreakdown
from chithi.orgs.models import Organisation, OrgKind, RoleAssignment

from . import figures as fig
from .models import EDITABLE_STATUSES, Report, ReportStatus, Round, RoundStatus

# `using`: the pages and the API that only read pass reporting_db() (the replica when one is configured, issue
# 13); a view that writes next reads the primary (None: the router's choice), so it never acts on a lagging copy.


def visible_rounds(user: Any, action: Action | str = Action.VIEW, *, using: str | None = None) -> QuerySet[Round]:
    return restrict(Round.objects.select_related("organisation"), user, action).using(using)


def visible_reports(user: Any, action: Action | str = Action.VIEW, *, using: str | None = None) -> QuerySet[Report]:
    return restrict(Report.objects.select_related("round", "organisation", "round__organisation"), user,
                    action).using(using)


def round_detail(*, user: Any, pk: int, using: str | None = None) -> Round:
    return get_scoped_or_404(visible_rounds(user, using=using), user, Action.VIEW, pk=pk)


def report_detail(*, user: Any, pk: int, using: str | None = None) -> Report:
    return get_scoped_or_404(visible_reports(user, using=using).select_related("document_number"), user,
                             Action.VIEW, pk=pk)


@dataclass
class RoundRow:
    report: Report
    late: bool


def round_board(*, round_: Round, today: dt.date | None = None,
                using: str | None = None) -> tuple[list[RoundRow], Report | None, dict[str, int]]:
    """Who has submitted, who is late, and the opening unit's own report; with counts per status."""
    today = today or timezone.localdate()
    reports = list(Report.objects.using(using).current().filter(round=round_).select_related("organisation")
                   .order_by("organisation__sort_key"))
    for report in reports:
        report.round = round_  # the round in hand: no query per report, and none on the primary
    own = next((r for r in reports if r.compiled), None)
    rows = [RoundRow(r, r.is_late(today)) for r in reports if not r.compiled]
    counts = {status: sum(1 for r in rows if r.report.status == status) for status in ReportStatus.values}
    counts["late"] = sum(1 for r in rows if r.late)
    return rows, own, counts


def versions(report: Report, using: str | None = None) -> list[Report]:
    return list(Report.objects.using(using).filter(round_id=report.round_id, organisation_id=report.organisation_id)
                .order_by("-version"))


# --- periods -------------------------------------------------------------------------------------------------

PERIODS = (("year", _("Year")), ("half", _("Half-year")), ("quarter", _("Quarter")), ("month", _("Month")),
           ("custom", _("Custom")))


def period_bounds(kind: str, year: int, part: int = 1, start: dt.date | None = None,
                  end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """[start, end] of a year, half (1–2), quarter (1–4), month (1–12), or a custom range."""
    if kind == "half":
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if part == 1 else (dt.date(year, 7, 1),
                                                                             dt.date(year, 12, 31))
    if kind == "quarter":
        first = 3 * (part - 1) + 1
        last = dt.date(year + (first + 3 > 12), (first + 3 - 1) % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(year, first, 1), last
    if kind == "month":
        last = dt.date(year + (part == 12), part % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(year, part, 1), last
    if kind == "custom" and start and end:
        return start, end
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- dashboard -----------------------------------------------------------------------------------------------


@dataclass
class DashRow:
    unit: Organisation
    figures: dict[str, int]
    rates: dict[str, float | None] = field(default_factory=dict)
    fieldwork: dict[str, int] = field(default_factory=dict)  # visits, home help, findings (fig.FIELDWORK)


@dataclass
class Dashboard:
    unit: Organisation
    start: dt.date
    end: dt.date
    total: DashRow
    rows: list[DashRow]


def dashboard_units(user: Any) -> QuerySet[Organisation]:
    return restrict(Organisation.objects.filter(dissolved_on__isnull=True), user, Action.VIEW)


def default_unit(user: Any) -> Organisation | None:
    paths = scope_paths(user, Action.VIEW)
    units = Organisation.objects.filter(dissolved_on__isnull=True)
    if paths is None:
        return units.filter(parent__isnull=True).order_by("path").first()
    return units.filter(path__in=paths).order_by("path").first()


def dashboard(*, user: Any, unit: Organisation, start: dt.date, end: dt.date,
              today: dt.date | None = None) -> Dashboard:
    """The unit's figures for the period and each sub-unit's, as the user may see them: seven grouped queries
    (four of the report's figures, three of field work and findings) whatever the number of sub-units."""
    children = list(dashboard_units(user).using(reporting_db()).filter(parent=unit).order_by("sort_key"))
    units = [unit, *children]
    data = fig.figures_for(units=units, start=start, end=end, user=user, today=today)
    more = fig.fieldwork_for(units=units, start=start, end=end, user=user, today=today)
    rows = [DashRow(c, data[c.path], fig.rates(data[c.path]), more[c.path]) for c in children]
    total = DashRow(unit, data[unit.path], fig.rates(data[unit.path]), more[unit.path])
    return Dashboard(unit=unit, start=start, end=end, total=total, rows=rows)


def issue_breakdown(*, user: Any, unit: Organisation, start: dt.date, end: dt.date) -> IssueBreakdown:
    """The unit's citizens' issues of the period by category, by ward and by month, read through the dialogues
    room's own figures (the same definitions as its public figures page) on the issues of the unit's subtree the
    user may see, from the reporting database: one grouped query, folded three ways."""
    from chithi.dialogues.selectors import visible_issues

    issues = visible_issues(user).using(reporting_db()).filter(organisation__path__startswith=unit.path)
    # No issue is received in the future: this year's months still to come would only pull the lines down to 0.
    end = max(start, min(end, timezone.localdate()))
    return issue_figures.breakdown(issues, start=start, end=end)


# --- the signed-in home: "my work today" ---------------------------------------------------------------------


def _link(name: str, **params: Any) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def home_panel(*, user: Any, obj: Any) -> dict[str, Any]:
    """What each of the user's roles must act on today; every number links to the list behind it."""
    if not getattr(user, "is_authenticated", False):
        return {}
    from chithi.campaigns.models import OPEN_STATUSES as TASK_OPEN
    from chithi.campaigns.selectors import visible_tasks
    from chithi.dialogues.models import OPEN_STATUSES as ISSUE_OPEN
    from chithi.dialogues.selectors import issue_counts, queue_q, unit_queue
    from chithi.grassroots.models import MeetingStatus
    from chithi.grassroots.selectors.meetings import own_cells, visible_meetings

    today = timezone.localdate()
    week = today + dt.timedelta(days=7)
    assignments = list(RoleAssignment.objects.filter(user=user, organisation__dissolved_on__isnull=True)
                       .select_related("organisation").order_by("organisation__path"))
    roles = {a.role for a in assignments}
    context: dict[str, Any] = {"today": today}
    working = next((a.organisation for a in assignments if a.role in (Role.SECRETARY, Role.ADMIN)), None)
    if working is not None:
        tasks = visible_tasks(user).filter(plan__organisation__path__startswith=working.path,
                                           status__in=TASK_OPEN)
        issues = unit_queue(user=user, unit=working).filter(status__in=ISSUE_OPEN)
        due_reports = (visible_reports(user, Action.CHANGE).filter(status__in=EDITABLE_STATUSES,
                                                                  round__status=RoundStatus.OPEN)
                       .select_related("round", "organisation").order_by("round__deadline"))
        # A meeting of a cell the user belongs to is already the grassroots room's "My next meeting" on the same
        # page: this panel names the next one under the unit only where the user does not attend it.
        meeting = (visible_meetings(user).filter(organisation__path__startswith=working.path,
                                                 status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now())
                   .exclude(organisation__in=own_cells(user, today))
                   .select_related("organisation").order_by("starts_at").first())
        counts = tasks.aggregate(overdue=Count("id", filter=Q(deadline__lt=today)),
                                 due_week=Count("id", filter=Q(deadline__gte=today, deadline__lte=week)))
        reports = list(due_reports[:50])  # a unit writes a handful: one query for the list and its count
        context["secretary"] = {
            "unit": working,
            "overdue": counts["overdue"],
            "overdue_url": _link("campaigns:task_list", unit=working.pk, overdue="true"),
            "due_week": counts["due_week"],
            "tasks_url": _link("campaigns:task_list", unit=working.pk, overdue="false"),
            "issues": issues.count(),
            "issues_first": list(issues.select_related("category")[:3]),
            "issues_url": _link("dialogues:issue_queue", unit=working.pk),
            "meeting": meeting,
            "reports": reports[:5],
            "reports_count": len(reports),
            "reports_url": reverse("reports:report_list"),
        }
    lead = next((a.organisation for a in assignments if a.role == Role.LEADER), None)
    if lead is not None or (user.is_superuser and not assignments):
        unit = lead or default_unit(user)
        if unit is not None:
            start = dt.date(today.year, 1, 1)
            figures = fig.unit_figures(unit=unit, start=start, end=today, user=user)
            late = (visible_reports(user).filter(status__in=EDITABLE_STATUSES, round__status=RoundStatus.OPEN,
                                                 round__deadline__lt=today, compiled=False,
                                                 organisation__path__startswith=unit.path)
                    .order_by("round__deadline"))
            context["leader"] = {
                "unit": unit, "figures": figures, "rates": fig.rates(figures), "year": today.year,
                "late": list(late[:8]), "late_count": late.count(),
                "dashboard_url": _link("reports:dashboard", unit=unit.pk, period="year", year=today.year),
                "late_url": _link("reports:report_list", late="1"),
            }
    if Role.STAFF in roles:
        # A specialist works for their unit: the tasks it is in charge of are theirs as much as those naming them.
        staff_units = [a.organisation_id for a in assignments if a.role == Role.STAFF]
        theirs = Q(owner_units__in=staff_units)
        if getattr(user, "person_id", None):
            theirs |= Q(owner_people=user.person_id)
        mine = (visible_tasks(user).filter(theirs, status__in=TASK_OPEN).distinct()
                .order_by("deadline", "id"))
        # And the issues their unit must answer (handled by it or escalated to it), or that name them in charge:
        # an officer whose unit's queue holds an overdue issue must not learn of it only when it is escalated.
        in_their_queue = Q(assignee=user)
        for assignment in assignments:
            if assignment.role == Role.STAFF:
                in_their_queue |= queue_q(assignment.organisation)
        waiting = unit_queue(user=user, unit=None).filter(in_their_queue, status__in=ISSUE_OPEN)
        issue_totals = issue_counts(qs=waiting)
        context["staff"] = {"tasks": list(mine[:6]), "count": mine.count(),
                            "overdue": mine.filter(deadline__lt=today).count(),
                            "issues": list(waiting.select_related("category")[:3]),
                            "issues_count": issue_totals["open"], "issues_overdue": issue_totals["overdue"],
                            "issues_url": _link("dialogues:issue_queue", unit=staff_units[0])}
    if len(context) == 1:
        return {}
    return context


def unit_kinds_reporting() -> tuple[str, ...]:
    return (OrgKind.PARTY_COMMITTEE, OrgKind.WARD_COMMITTEE, OrgKind.PARTY_CELL)

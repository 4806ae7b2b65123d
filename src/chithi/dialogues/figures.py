"""Figures on citizens' issues (what Hue-S and iHanoi publish), written once for the public figures page and the
staff dashboards: received, answered, answered on time, average working days to answer, satisfaction; for a
period, by month, by category and by ward.

Every function takes the issues to count as a queryset: the public page passes `public_subset()`, a dashboard
passes what `restrict()` lets its user see. Only counts leave this module, never a row, a name or a text.
Issues are counted in the period they were received (a cohort), so a month's figures stop moving once its
issues are answered. "Satisfied" follows Hue-S's three grades: 4–5 stars satisfied, 3 accepted, 1–2 not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from chithi.core.numbers import percent
from chithi.core.workdays import local_span

from .models import Issue, IssueStatus

ANSWERED = (IssueStatus.ANSWERED, IssueStatus.CLOSED)


@dataclass
class Figures:
    """The figures of one group of issues (a month, a category, a ward, or the whole period)."""

    key: Any
    label: str
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    rejected: int = 0
    open: int = 0
    rated: int = 0
    satisfied: int = 0
    accepted: int = 0
    dissatisfied: int = 0
    working_days_total: int = 0  # summed over the answered issues, for the mean
    working_days_counted: int = 0  # the answered issues that carry their working days (all but legacy rows)

    @property
    def answered_late(self) -> int:
        return self.answered - self.answered_on_time

    @property
    def answered_share(self) -> float | None:
        return percent(self.answered, self.received)

    @property
    def on_time_share(self) -> float | None:
        """Answered on time, of the answered ones."""
        return percent(self.answered_on_time, self.answered)

    @property
    def satisfied_share(self) -> float | None:
        return percent(self.satisfied, self.rated)

    @property
    def average_working_days(self) -> float | None:
        return round(self.working_days_total / self.working_days_counted, 1) if self.working_days_counted else None


def public_subset() -> QuerySet[Issue]:
    """The issues the public figures count: every issue of a category offered to citizens (counts only)."""
    return Issue.objects.filter(category__public=True)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _in_period(issues: QuerySet[Issue], start: dt.date, end: dt.date) -> QuerySet[Issue]:
    """Issues received from `start` up to and including `end` (local dates)."""
    since, until = local_span(start, end)
    return issues.filter(received_at__gte=since, received_at__lt=until)


_COUNTS = {
    "received": Count("id"),
    "answered": Count("id", filter=Q(status__in=ANSWERED, answered_at__isnull=False)),
    "answered_on_time": Count("id", filter=Q(status__in=ANSWERED, answered_at__isnull=False,
                                             answered_on__lte=F("answer_due_on"))),
    "rejected": Count("id", filter=Q(status__in=[IssueStatus.REJECTED, IssueStatus.MERGED])),
    "open": Count("id", filter=~Q(status__in=[*ANSWERED, IssueStatus.REJECTED, IssueStatus.MERGED])),
    "rated": Count("id", filter=Q(rating__isnull=False)),
    "satisfied": Count("id", filter=Q(rating__gte=4)),
    "accepted": Count("id", filter=Q(rating=3)),
    "dissatisfied": Count("id", filter=Q(rating__lte=2)),
    "working_days_total": Sum("answer_working_days", filter=Q(status__in=ANSWERED, answered_at__isnull=False),
                              default=0),
    "working_days_counted": Count("answer_working_days", filter=Q(status__in=ANSWERED, answered_at__isnull=False)),
}


def _grouped(issues: QuerySet[Issue], start: dt.date, end: dt.date, group: Any = None) -> dict[Any, Figures]:
    """Figures per value of `group` (an expression or a field name; None: one group for everything), in one grouped
    query. The mean days to answer sums each issue's stored working days (Issue.answer_working_days: the holiday
    calendar is not in SQL; it used to take a second query of (received day, answered day) pairs)."""
    rows = _in_period(issues, start, end).annotate(answered_on=TruncDate("answered_at", tzinfo=_tz()))
    if group is None:
        return {None: Figures(key=None, label="", **rows.aggregate(**_COUNTS))}
    result: dict[Any, Figures] = {}
    for values in rows.values(group=group).annotate(**_COUNTS).order_by():
        counts: dict[str, Any] = dict(values)
        key = counts.pop("group")
        result[key] = Figures(key=key, label="", **counts)
    return result


def summary(issues: QuerySet[Issue], *, start: dt.date, end: dt.date) -> Figures:
    """The period's figures for all the given issues."""
    return _grouped(issues, start, end).get(None) or Figures(key=None, label="")


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_rows(found: dict[Any, Figures], start: dt.date, end: dt.date) -> list[Figures]:
    by_day = {(key.date() if isinstance(key, dt.datetime) else key): figures for key, figures in found.items()}
    rows = []
    for month in _months(start, end):
        figures = by_day.get(month) or Figures(key=month, label="")
        figures.key, figures.label = month, f"{month:%m/%Y}"
        rows.append(figures)
    return rows


def _category_rows(found: dict[Any, Figures]) -> list[Figures]:
    from .models import IssueCategory

    names = dict(IssueCategory.objects.filter(pk__in=list(found)).values_list("pk", "name"))
    for key, figures in found.items():
        figures.label = names.get(key, "")
    return sorted(found.values(), key=lambda f: (-f.received, f.label))


def _ward_rows(found: dict[Any, Figures]) -> list[Figures]:
    from chithi.orgs.models import Organisation

    from .selectors import ward_label

    wards = {unit.pk: ward_label(unit) for unit in Organisation.objects.filter(pk__in=[k for k in found if k])}
    for key, figures in found.items():
        figures.label = wards.get(key, "") if key else ""
    return sorted(found.values(), key=lambda f: (f.key is None, -f.received, f.label))


def _month_of(field: str = "received_at") -> TruncMonth:
    return TruncMonth(field, tzinfo=_tz())


def by_month(issues: QuerySet[Issue], *, start: dt.date, end: dt.date) -> list[Figures]:
    """One row per calendar month of the period (months without issues included, as zeros)."""
    return _month_rows(_grouped(issues, start, end, _month_of()), start, end)


def by_category(issues: QuerySet[Issue], *, start: dt.date, end: dt.date) -> list[Figures]:
    """One row per category that received issues, most issues first."""
    return _category_rows(_grouped(issues, start, end, F("category_id")))


def by_ward(issues: QuerySet[Issue], *, start: dt.date, end: dt.date) -> list[Figures]:
    """One row per ward the citizens named, most issues first; issues without a ward last (key None, label "":
    the page says "ward not given" in its own words)."""
    return _ward_rows(_grouped(issues, start, end, F("area_unit_id")))


@dataclass
class Breakdown:
    by_category: list[Figures]
    by_ward: list[Figures]
    by_month: list[Figures]


def breakdown(issues: QuerySet[Issue], *, start: dt.date, end: dt.date) -> Breakdown:
    """by_category, by_ward and by_month: three grouped queries, each a few dozen rows. (One query grouped by all
    three and folded here read 24,000 groups for a province's year and took twice as long: with the covering
    index on (organisation, received_at) the scans are cheap and the Python folding was not.)"""
    return Breakdown(by_category=by_category(issues, start=start, end=end),
                     by_ward=by_ward(issues, start=start, end=end), by_month=by_month(issues, start=start, end=end))

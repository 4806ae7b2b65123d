"""Meeting attendance and flag-ceremony completion by unit: a unit and its sub-units, each with its whole subtree's
figures, in a fixed number of grouped queries (the meetings' own attendance counters, never attendance rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from chithi.core.numbers import percent
from chithi.core.permissions import Action, restrict
from chithi.orgs.models import PATH_STEP, Organisation, OrgKind

from .. import rules
from ..models import REGULAR_KINDS, THEMATIC_KINDS, CeremonyStatus, FlagCeremony, Meeting, MeetingStatus
from .ceremonies import months_due


@dataclass
class UnitFigures:
    unit: Organisation
    cells: int = 0
    regular: int = 0
    thematic: int = 0
    present: int = 0
    expected: int = 0
    flag_units: int = 0
    flags_held: int = 0
    months: int = 0
    flag_months: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def attendance_rate(self) -> float | None:
        return percent(self.present, self.expected)

    @property
    def regular_due(self) -> int:
        return self.cells * self.months

    @property
    def regular_rate(self) -> float | None:
        return percent(min(self.regular, self.regular_due), self.regular_due)

    @property
    def thematic_due(self) -> int:
        return self.cells * ((self.months + 2) // 3) * int(rules.setting("GRASSROOTS_THEMATIC_PER_QUARTER"))

    @property
    def flags_due(self) -> int:
        return self.flag_units * self.flag_months

    @property
    def flags_missing(self) -> int:
        return max(self.flags_due - self.flags_held, 0)

    @property
    def flag_rate(self) -> float | None:
        return percent(min(self.flags_held, self.flags_due), self.flags_due)

    def add(self, other: UnitFigures) -> None:
        for name in ("cells", "regular", "thematic", "present", "expected", "flag_units", "flags_held"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def months_elapsed(year: int, today: dt.date) -> int:
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


def _alive_in(year: int) -> Q:
    return Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=dt.date(year, 1, 1))


def _by_branch(queryset: QuerySet[Any], path_field: str, length: int, **aggregates: Any) -> dict[str, dict[str, Any]]:
    rows = queryset.annotate(branch=Substr(path_field, 1, length)).values("branch").annotate(**aggregates)
    return {row.pop("branch"): row for row in rows}


def by_unit(*, user: Any, focus: Organisation, year: int, today: dt.date | None = None) -> tuple[UnitFigures,
                                                                                              list[UnitFigures]]:
    """(the focus unit's totals, one row per sub-unit) for a year."""
    today = today or timezone.localdate()
    length = len(focus.path) + PATH_STEP + 1
    children = list(restrict(Organisation.objects.filter(parent=focus), user, Action.VIEW)
                    .filter(_alive_in(year)).order_by("sort_key"))
    months = months_elapsed(year, today)
    flag_months = len(months_due(year, today))
    meetings = restrict(Meeting.objects.filter(
        organisation__path__startswith=focus.path, status=MeetingStatus.HELD,
        period__gte=year * 100 + 1, period__lte=year * 100 + max(months, 1)), user, Action.VIEW)
    held = _by_branch(meetings, "organisation__path", length,
                      regular=Count("id", filter=Q(kind__in=REGULAR_KINDS)),
                      thematic=Count("id", filter=Q(kind__in=THEMATIC_KINDS)),
                      present=Sum(F("present_official") + F("present_probationary")),
                      expected=Sum(F("roster_official") + F("roster_probationary") - F("exempt_absent")))
    units = Organisation.objects.filter(_alive_in(year), path__startswith=focus.path)
    cells = _by_branch(units.filter(kind=OrgKind.PARTY_CELL), "path", length, n=Count("id"))
    flag_units = _by_branch(units.filter(kind__in=rules.flag_unit_kinds()), "path", length, n=Count("id"))
    flags = _by_branch(FlagCeremony.objects.filter(
        organisation__path__startswith=focus.path, status=CeremonyStatus.HELD,
        period__in=[year * 100 + m for m in months_due(year, today)]), "organisation__path", length, n=Count("id"))

    def figures(unit: Organisation, branch: str) -> UnitFigures:
        row = held.get(branch, {})
        return UnitFigures(unit=unit, cells=cells.get(branch, {}).get("n", 0), regular=row.get("regular", 0),
                           thematic=row.get("thematic", 0), present=row.get("present") or 0,
                           expected=row.get("expected") or 0, flag_units=flag_units.get(branch, {}).get("n", 0),
                           flags_held=flags.get(branch, {}).get("n", 0), months=months, flag_months=flag_months)

    rows = [figures(child, child.path) for child in children]
    total = figures(focus, focus.path)  # what the focus unit holds itself (when it is a cell or a flag unit)
    for row in rows:
        total.add(row)
    return total, rows

"""Flag ceremonies seen from a parent unit: which units of its subtree held theirs this month, which did not, and
which recorded nothing (missing) once the day has passed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chithi.core.permissions import Action, get_scoped_or_404, restrict
from chithi.orgs.models import Organisation

from .. import rules
from ..models import CeremonyStatus, FlagCeremony


def ceremony_units(root: Organisation, day: dt.date) -> QuerySet[Organisation]:
    """Units in the subtree (root included) that hold the ceremony and existed on the day."""
    return Organisation.objects.filter(path__startswith=root.path, kind__in=rules.flag_unit_kinds()).filter(
        Q(established_on__isnull=True) | Q(established_on__lte=day),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


@dataclass
class BoardRow:
    unit: Organisation
    record: FlagCeremony | None
    state: str  # held | not_held | missing | upcoming


def board(*, root: Organisation, year: int, month: int) -> tuple[dt.date, list[BoardRow]]:
    """The month's ceremony of every unit under `root`: two queries whatever the subtree's size."""
    day = rules.flag_day(year, month)
    units = list(ceremony_units(root, day).order_by("path"))
    records = {r.organisation_id: r for r in FlagCeremony.objects.filter(
        organisation__in=[u.pk for u in units], period=year * 100 + month).select_related("speaker")}
    past = day <= timezone.localdate()
    rows = []
    for unit in units:
        record = records.get(unit.pk)
        state = record.status if record else ("missing" if past else "upcoming")
        rows.append(BoardRow(unit, record, state))
    return day, rows


def ceremony_detail(*, user: Any, pk: int) -> FlagCeremony:
    return get_scoped_or_404(FlagCeremony.objects.select_related("organisation", "speaker"), user, Action.VIEW, pk=pk)


def visible_ceremonies(user: Any, action: Action | str = Action.VIEW) -> QuerySet[FlagCeremony]:
    return restrict(FlagCeremony.objects.select_related("organisation", "speaker"), user, action)


def months_due(year: int, today: dt.date | None = None) -> list[int]:
    """The months of `year` whose ceremony day has come."""
    today = today or timezone.localdate()
    return [m for m in range(1, 13) if rules.flag_day(year, m) <= today]


def held_count(units: list[Organisation], year: int) -> int:
    return FlagCeremony.objects.filter(organisation__in=[u.pk for u in units], status=CeremonyStatus.HELD,
                                       period__gte=year * 100 + 1, period__lte=year * 100 + 12).count()

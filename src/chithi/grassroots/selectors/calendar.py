"""Calendars: the meetings, visits, home-help appointments and flag ceremonies of a unit (with its sub-units) or of
a person, between two times, as one list of events; a month grid for the page and the events of a user's feed.

Every source is read through restrict() for the reader, except a person's own calendar (their own cell's
meetings, their visits, their appointments), which is theirs to see."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, restrict
from chithi.orgs.models import Membership, Organisation, Person

from .. import rules
from ..models import FlagCeremony, HomeHelpRequest, Meeting, MeetingStatus, Visit, VisitStatus
from .meetings import members_on_q


@dataclass(frozen=True)
class Event:
    uid: str
    kind: str  # meeting | visit | home_help | ceremony
    start: dt.datetime
    end: dt.datetime
    title: str
    place: str
    url: str
    unit: str

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.start)

    @property
    def local_day(self) -> dt.date:
        return self.local_start.date()


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _meeting_event(m: Meeting) -> Event:
    return Event(f"meeting-{m.pk}", "meeting", m.starts_at, m.starts_at + dt.timedelta(minutes=m.planned_minutes),
                 f"{m.get_kind_display()}: {m.organisation.short_name or m.organisation.name}", m.place,
                 m.get_absolute_url(), m.organisation.name)


def _visit_event(v: Visit) -> Event:
    # The resident's name and address stay off calendars: a feed URL is a bearer secret that phones sync.
    return Event(f"visit-{v.pk}", "visit", v.starts_at, v.starts_at + dt.timedelta(hours=1),
                 _("Household visit — %(area)s") % {"area": v.household.residential_area.name}, "",
                 v.get_absolute_url(), v.group.name)


def _help_event(r: HomeHelpRequest) -> Event:
    return Event(f"homehelp-{r.pk}", "home_help", r.slot_start, r.slot_start + dt.timedelta(minutes=r.slot_minutes),
                 _("Help at home: %(procedure)s") % {"procedure": r.procedure.name},
                 r.household.residential_area.name, r.get_absolute_url(), r.organisation.name)


def _ceremony_event(unit: Organisation, day: dt.date, time: dt.time | None, record: FlagCeremony | None) -> Event:
    start = _aware(day, time or rules.flag_time())
    minutes = int(rules.setting("GRASSROOTS_FLAG_DURATION_MINUTES"))
    return Event(f"ceremony-{unit.pk}-{day:%Y%m}", "ceremony", start, start + dt.timedelta(minutes=minutes),
                 _("Flag ceremony — %(unit)s") % {"unit": unit.short_name or unit.name},
                 record.place if record else "", record.get_absolute_url() if record else "", unit.name)


def _months(start: dt.datetime, end: dt.datetime) -> list[tuple[int, int]]:
    first = timezone.localtime(start).date().replace(day=1)
    last = timezone.localtime(end).date()
    months = []
    while first <= last:
        months.append((first.year, first.month))
        first = rules.add_months(first, 1)
    return months


def _ceremonies(units: list[Organisation], start: dt.datetime, end: dt.datetime) -> list[Event]:
    """Recorded ceremonies, and the computed day for units that have not recorded one yet."""
    flag_kinds = set(rules.flag_unit_kinds())
    units = [u for u in units if u.kind in flag_kinds]
    if not units:
        return []
    months = _months(start, end)
    records = {(r.organisation_id, r.period): r for r in FlagCeremony.objects.filter(
        organisation__in=[u.pk for u in units], period__in=[y * 100 + m for y, m in months])}
    events = []
    for unit in units:
        for year, month in months:
            record = records.get((unit.pk, year * 100 + month))
            if record is not None and record.held_on is None:
                continue  # recorded as not held
            day = record.held_on if record and record.held_on else rules.flag_day(year, month)
            if unit.dissolved_on and day >= unit.dissolved_on:
                continue
            event = _ceremony_event(unit, day, record.start_time if record else None, record)
            if start <= event.start < end:
                events.append(event)
    return events


def _in_window(queryset: QuerySet[Any], field: str, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def unit_events(*, user: Any, unit: Organisation, start: dt.datetime, end: dt.datetime) -> list[Event]:
    """The unit's and its sub-units' events (the ceremony days of the unit itself and of its direct sub-units)."""
    prefix = unit.path
    meetings = _in_window(restrict(Meeting.objects.select_related("organisation"), user, Action.VIEW), "starts_at",
                          start, end).filter(organisation__path__startswith=prefix).exclude(
        status=MeetingStatus.CANCELLED)
    visits = _in_window(restrict(Visit.objects.select_related("group", "household__residential_area"), user,
                                 Action.VIEW), "starts_at", start, end).filter(
        Q(household__residential_area__path__startswith=prefix) | Q(group__organisation__path__startswith=prefix)
    ).exclude(status=VisitStatus.CANCELLED)
    helps = _in_window(restrict(HomeHelpRequest.objects.select_related(
        "procedure", "organisation", "household__residential_area"), user, Action.VIEW), "slot_start", start, end
    ).filter(Q(organisation__path__startswith=prefix) | Q(household__residential_area__path__startswith=prefix))
    flag_units = [unit, *Organisation.objects.filter(parent=unit).active()]
    events = [*map(_meeting_event, meetings), *map(_visit_event, visits), *map(_help_event, helps),
              *_ceremonies(flag_units, start, end)]
    return sorted(events, key=lambda e: (e.start, e.uid))


def person_events(*, person: Person, start: dt.datetime, end: dt.datetime, user: Any = None) -> list[Event]:
    """A person's own events: their cells' meetings, their visits, their appointments as officer, the ceremonies of
    the units they work in. With `user`, only what that user may see (someone else's calendar)."""
    day_from, day_to = timezone.localtime(start).date(), timezone.localtime(end).date()
    spans = Membership.objects.filter(Q(since__isnull=True) | Q(since__lte=day_to),
                                      Q(until__isnull=True) | Q(until__gte=day_from), person=person)
    meetings = _in_window(Meeting.objects.select_related("organisation"), "starts_at", start, end).filter(
        organisation__in=spans.values("organisation_id")).exclude(status=MeetingStatus.CANCELLED)
    visits = _in_window(Visit.objects.select_related("group", "household__residential_area"), "starts_at", start,
                        end).filter(visitors=person).exclude(status=VisitStatus.CANCELLED)
    helps = _in_window(HomeHelpRequest.objects.select_related("procedure", "organisation",
                                                              "household__residential_area"),
                       "slot_start", start, end).filter(officer=person)
    if user is not None:
        meetings, visits, helps = (restrict(meetings, user, Action.VIEW), restrict(visits, user, Action.VIEW),
                                   restrict(helps, user, Action.VIEW))
    units = list(Organisation.objects.filter(pk__in=Membership.objects.filter(
        members_on_q(timezone.localdate()), person=person).values("organisation_id")))
    if user is not None:
        units = list(restrict(Organisation.objects.filter(pk__in=[u.pk for u in units]), user, Action.VIEW))
    events = [*map(_meeting_event, meetings), *map(_visit_event, visits), *map(_help_event, helps),
              *_ceremonies(units, start, end)]
    return sorted(events, key=lambda e: (e.start, e.uid))


def feed_events(*, user: Any, start: dt.datetime, end: dt.datetime) -> list[Event]:
    """The user's feed: their own calendar, and the meetings of the cells on which they hold a role."""
    events = {e.uid: e for e in person_events(person=user.person, start=start, end=end)} if user.person_id else {}
    role_cells = user.role_assignments.filter(organisation__kind="party_cell").values("organisation_id")
    for meeting in _in_window(Meeting.objects.select_related("organisation"), "starts_at", start, end).filter(
            organisation__in=role_cells).exclude(status=MeetingStatus.CANCELLED):
        event = _meeting_event(meeting)
        events.setdefault(event.uid, event)
    return sorted(events.values(), key=lambda e: (e.start, e.uid))


@dataclass
class Day:
    date: dt.date
    in_month: bool
    events: list[Event]
    today: bool


def month_grid(year: int, month: int, events: list[Event]) -> list[list[Day]]:
    """Weeks (Monday first, as Vietnamese calendars) of the month, each day with its events."""
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.local_day, []).append(event)
    today = timezone.localdate()
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[Day(d, d.month == month, by_day.get(d, []), d == today) for d in week] for week in weeks]


def month_window(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    first = dt.date(year, month, 1)
    grid_start = first - dt.timedelta(days=first.weekday())
    last = rules.add_months(first, 1)
    grid_end = last + dt.timedelta(days=(7 - last.weekday()) % 7)
    return _aware(grid_start, dt.time.min), _aware(grid_end, dt.time.min)

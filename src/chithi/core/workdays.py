"""Working days in Vietnam: weekends and public holidays (Tết included, from `holidays`) are off."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted); 0 keeps a working start."""
    current = start
    if days <= 0:
        while not is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return sign * count


def local_span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[since, until) in the site's time zone, from `start`'s midnight to the midnight after `end`: a period of
    local dates as a range on stored moments, which an index serves (a `__date` lookup casts every row)."""
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def working_days_elapsed(start_at: dt.datetime, end_at: dt.datetime) -> int:
    """Working days from one moment to a later one, by their local dates (never negative): how long an answer
    took, stored on the issue when it is answered so that figures sum it in SQL instead of day by day."""
    from django.utils import timezone

    return max(0, working_days_between(timezone.localdate(start_at), timezone.localdate(end_at)))


def working_days_before(day: dt.date, days: int) -> dt.date:
    """The working day `days` working days before `day` (0 keeps `day` or the working day before it)."""
    current = day
    while not is_working_day(current):
        current -= dt.timedelta(days=1)
    remaining = days
    while remaining > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current

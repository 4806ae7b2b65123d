"""Hostile-proof parsing of the small inputs every room takes from a URL: ids and years.

Issue 9 found pages answering 500 to `?ward=²` (Python's str.isdigit() accepts superscripts, int() does not), to
ids beyond SQLite's 64-bit integers, to `?theme=-1.79e308` (django-filter's NumberFilter is a DecimalField) and to
`?year=0` (no date has year 0). Parse them here, once, and an impossible value reads like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # the largest primary key any of our databases stores
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_id(value: Any) -> int | None:
    """A primary key written in ASCII digits, within the databases' range; None for anything else."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdFilter(django_filters.NumberFilter):
    """An id filter: whole numbers from 1 to MAX_ID (the form says so; never a query the database refuses)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year filter: whole years a record of ours can have (year 0 or 10⁹⁹ is refused, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("label", _("Year"))
        super().__init__(*args, **kwargs)


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter as a select whose three options say what they keep ("Overdue only", not "Yes"), never
    Django's NullBooleanSelect, whose empty choice reads "Unknown" ("Chưa xác định": seen on /to-cong-tac/)."""

    # Keywords only: a label given first would be taken for the field's name (BooleanFilter's first argument).
    def __init__(self, *, empty: Any = None, yes: Any = None, no: Any = None, **kwargs: Any) -> None:
        kwargs["widget"] = forms.Select(choices=[("", empty or _("All")), ("true", yes or _("Yes")),
                                                 ("false", no or _("No"))])
        super().__init__(**kwargs)


EARLIEST_DATE = dt.date(MIN_YEAR, 1, 1)  # the oldest members were born in the 1920s; nothing of ours is older
YEARS_AHEAD = 10  # a plan's term, a deadline or a meeting: none is set more than ten years ahead


def latest_date(*, past: bool = False) -> dt.date:
    today = timezone.localdate()
    return today if past else today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def check_plausible(value: dt.date | None, *, label: Any = None, past: bool = False) -> None:
    """Raise the ValidationError that names the field when `value` (a date or datetime) lies outside the years a
    record can have; nothing for an empty value. The one rule of the forms' fields below and of the API's
    (api.fields.PlausibleDate), so both answer with the same Vietnamese message."""
    if not value:  # None, or a form's empty text; a date is never falsy
        return
    if isinstance(value, dt.datetime):  # the day it is here: an API client may send another UTC offset
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    else:
        day = value
    latest = latest_date(past=past)
    if not EARLIEST_DATE <= day <= latest:
        raise ValidationError(
            _("%(field)s is not plausible: it must lie between %(earliest)s and %(latest)s."), code="implausible",
            params={"field": capfirst(label or _("Date")),
                    "earliest": date_format(EARLIEST_DATE, "d/m/Y"), "latest": date_format(latest, "d/m/Y")})


class _Plausible:
    """A typed date is checked against the years a record can have: testers saved a meeting on 01/01/3000 and a
    directive issued in 1800, which then sorted first in every list and filled dashboards with empty years.
    `past=True` for what has already happened (issued, established, born, concluded)."""

    def __init__(self, *args: Any, past: bool = False, **kwargs: Any) -> None:
        self.past = past
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)  # type: ignore[misc]
        check_plausible(value, label=self.label, past=self.past)  # type: ignore[attr-defined]


class PlausibleDateField(_Plausible, forms.DateField):
    pass


class PlausibleDateTimeField(_Plausible, forms.DateTimeField):
    pass


def check_encodable(data: Any) -> Any:
    """Parsed JSON back unchanged, or ValueError when a string holds a lone surrogate ("\\ud800" is valid JSON
    but no UTF-8 text: the database, the templates and the e-mail would each fail on it with a 500)."""
    import json

    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("the JSON holds a lone surrogate (not UTF-8 text)") from exc
    return data

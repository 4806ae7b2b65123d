"""Hostile-proof parsing of the small inputs every room takes from a URL: ids and years.

Issue 9 found pages answering 500 to `?ward=²` (Python's str.isdigit() accepts superscripts, int() does not), to
ids beyond SQLite's 64-bit integers, to `?theme=-1.79e308` (django-filter's NumberFilter is a DecimalField) and to
`?year=0` (no date has year 0). Parse them here, once, and an impossible value reads like a missing one."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
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


def check_encodable(data: Any) -> Any:
    """Parsed JSON back unchanged, or ValueError when a string holds a lone surrogate ("\\ud800" is valid JSON
    but no UTF-8 text: the database, the templates and the e-mail would each fail on it with a 500)."""
    import json

    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("the JSON holds a lone surrogate (not UTF-8 text)") from exc
    return data

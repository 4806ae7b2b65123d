"""Figures as pages show them: a number with the language's separators, a part of a whole in per cent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import numberformat
from django.utils.formats import get_format


def number(value: Any, decimals: int = 1) -> str:
    """1234567.5 → "1.234.567,5" with the language's separators, always grouped by thousands (Django's vi locale
    does not group alone): a whole number without decimals, else at most `decimals` of them, no trailing zero."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    places = 0 if amount == amount.to_integral_value() else decimals
    separator = get_format("DECIMAL_SEPARATOR")
    text = numberformat.format(amount, separator, decimal_pos=places, grouping=3,
                               thousand_sep=get_format("THOUSAND_SEPARATOR"), force_grouping=True)
    return text.rstrip("0").removesuffix(separator) if places else text


def percent(part: float, whole: float, digits: int | None = 1) -> float | None:
    """`part` of `whole` in per cent, rounded to `digits` decimals (None: a whole number); None when the whole is
    zero, so a page says "no data" rather than 0 %."""
    return round(100 * part / whole, digits) if whole else None

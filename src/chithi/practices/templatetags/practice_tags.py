"""Template filters for practices: figures with the language's separators, always grouped by thousands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """1234567.50 → "1.234.567,5" in Vietnamese (Django's vi locale does not group by itself)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() else 2
    text = numberformat.format(number, get_format("DECIMAL_SEPARATOR"), decimal_pos=places, grouping=3,
                               thousand_sep=get_format("THOUSAND_SEPARATOR"), force_grouping=True)
    if places:
        text = text.rstrip("0")
    return text

"""Template filters for practices: figures with the language's separators, always grouped by thousands."""

from __future__ import annotations

from typing import Any

from django import template

from chithi.core.numbers import number

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """1234567.50 → "1.234.567,5" in Vietnamese (Django's vi locale does not group by itself)."""
    return number(value, decimals=2)

"""Figures as pages show them: a part of a whole in per cent."""

from __future__ import annotations


def percent(part: float, whole: float, digits: int | None = 1) -> float | None:
    """`part` of `whole` in per cent, rounded to `digits` decimals (None: a whole number); None when the whole is
    zero, so a page says "no data" rather than 0 %."""
    return round(100 * part / whole, digits) if whole else None

"""core.numbers: how pages write a figure, and the per-cent rule every page's rates follow."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from chithi.core.numbers import number, percent


def test_percent_has_one_decimal_by_default():
    assert percent(2, 3) == 66.7


def test_percent_as_a_whole_number_when_asked():
    assert percent(2, 3, digits=None) == 67
    assert isinstance(percent(2, 3, digits=None), int)


def test_percent_of_nothing_is_none_not_zero():
    assert percent(0, 0) is None
    assert percent(5, 0) is None


def test_number_groups_thousands_with_the_vietnamese_separators():
    with translation.override("vi"):
        assert number(1234567) == "1.234.567"
        assert number(1234567.5) == "1.234.567,5"
        assert number(Decimal("1234567.50"), decimals=2) == "1.234.567,5"
        assert number(Decimal("12.25"), decimals=2) == "12,25"
    assert number(None) == "" and number("") == ""


def test_number_shows_no_trailing_zero_and_no_lone_separator():
    with translation.override("vi"):
        assert number(Decimal("12.04")) == "12"
        assert number(Decimal("3.00")) == "3"

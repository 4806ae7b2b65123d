"""core.numbers: the per-cent rule every page's rates follow."""

from __future__ import annotations

from chithi.core.numbers import percent


def test_percent_has_one_decimal_by_default():
    assert percent(2, 3) == 66.7


def test_percent_as_a_whole_number_when_asked():
    assert percent(2, 3, digits=None) == 67
    assert isinstance(percent(2, 3, digits=None), int)


def test_percent_of_nothing_is_none_not_zero():
    assert percent(0, 0) is None
    assert percent(5, 0) is None

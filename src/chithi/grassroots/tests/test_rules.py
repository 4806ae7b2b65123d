"""The rules taken from party texts, and the settings that replace them where a text could not be read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chithi.grassroots import rules


@pytest.mark.parametrize(("year", "month", "day"), [
    (2017, 4, dt.date(2017, 4, 3)),   # HD 24-HD/BTGTU was applied on 03/4/2017, the month's first Monday
    (2026, 12, dt.date(2026, 12, 7)),
    (2025, 9, dt.date(2025, 9, 3)),   # Monday 1/9/2025 and Tuesday 2/9 are National Day holidays
    (2027, 5, dt.date(2027, 5, 4)),   # Monday 3/5/2027 is the day off in lieu of Labour Day
    (2026, 2, dt.date(2026, 2, 2)),   # Tết 2026 falls later in the month: the first Monday stands
])
def test_flag_day_is_the_first_monday_moved_past_a_holiday(year: int, month: int, day: dt.date) -> None:
    assert rules.flag_day(year, month) == day
    assert rules.flag_day(year, month).weekday() in (0, 1, 2)


def test_flag_day_holiday_policy_is_a_setting(settings: Any) -> None:
    settings.GRASSROOTS_FLAG_HOLIDAY_POLICY = "keep"
    assert rules.flag_day(2025, 9) == dt.date(2025, 9, 1)
    settings.GRASSROOTS_FLAG_DAY_RULE = "monday_of_first_full_week"
    assert rules.flag_day(2026, 12) == dt.date(2026, 12, 7)
    assert rules.flag_day(2026, 6) == dt.date(2026, 6, 1)


def test_settings_can_come_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("GRASSROOTS_MEETING_MIN_MINUTES", "60")
    assert rules.minimum_minutes(combined=False) == 60
    assert rules.minimum_minutes(combined=True) == 120


def test_probation_ends_twelve_months_after_joining_unless_recorded() -> None:
    assert rules.official_on(joined_on=dt.date(2026, 2, 28), recorded=None) == dt.date(2027, 2, 28)
    assert rules.official_on(joined_on=dt.date(2024, 2, 29), recorded=None) == dt.date(2025, 2, 28)
    assert rules.official_on(joined_on=dt.date(2026, 2, 28), recorded=dt.date(2027, 3, 5)) == dt.date(2027, 3, 5)
    assert rules.official_on(joined_on=None, recorded=None) is None


@pytest.mark.parametrize(("score", "grade"), [(100, "good"), (90, "good"), (89, "fair"), (70, "fair"),
                                              (69, "average"), (50, "average"), (49, "weak"), (None, "")])
def test_quality_grades(score: int | None, grade: str) -> None:
    assert rules.grade_for(score) == grade


def test_score_frame_adds_up_to_100() -> None:
    assert sum(points for _key, _label, points in rules.score_frame()) == 100

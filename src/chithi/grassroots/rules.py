"""The rules of grassroots work that come from party texts, each a setting where the source could not be read.

Every value can be overridden by a Django setting of the same name (or an environment variable holding JSON or
text), so a province that issued a different guideline changes configuration, not code. The sources and what
was verified are recorded in docs/decisions.md ("grassroots").
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chithi.core.workdays import is_working_day

DEFAULTS: dict[str, Any] = {
    # Hướng dẫn 42-HD/BTCTW (28/10/2025): at least 90 minutes; 120 when the regular and the thematic meeting
    # are held in one session. A committee may set other figures for small cells, hence settings.
    "GRASSROOTS_MEETING_MIN_MINUTES": 90,
    "GRASSROOTS_MEETING_MIN_MINUTES_COMBINED": 120,
    # Thematic meeting at least once a quarter (DOMAIN.md, implementations citing HD 42; primary text unread).
    "GRASSROOTS_THEMATIC_PER_QUARTER": 1,
    # HD 42: the time, place and content reach members at least one day before (documents on Sổ tay đảng viên).
    "GRASSROOTS_NOTICE_DAYS_BEFORE": 1,
    # Điều lệ Đảng: a probationary period of 12 months from admission, unless the member's record says otherwise.
    "GRASSROOTS_PROBATION_MONTHS": 12,
    # HD-42-based scoring frames circulating in 2025 (variant A, Đảng ủy phường An Phú); no national frame read.
    "GRASSROOTS_SCORE_FRAME": [
        ["time", "Thời gian sinh hoạt", 5],
        ["attendance", "Tỷ lệ đảng viên dự", 5],
        ["preparation", "Chuẩn bị", 10],
        ["conduct", "Tổ chức sinh hoạt", 30],
        ["chairing", "Điều hành của bí thư", 10],
        ["principles", "Nguyên tắc tổ chức, sinh hoạt đảng", 5],
        ["results", "Kết quả thực hiện nghị quyết tháng trước", 30],
        ["closing", "Kết thúc", 5],
    ],
    # Both frames classify: Tốt ≥ 90, Khá 70–< 90, Trung bình 50–< 70, Kém < 50.
    "GRASSROOTS_GRADE_THRESHOLDS": [90, 70, 50],
    # Hướng dẫn 24-HD/BTGTU Quảng Trị (22/02/2017): Monday morning of the month's first week, read as the
    # month's first Monday (the example it was applied to, 03/4/2017, is one).
    "GRASSROOTS_FLAG_DAY_RULE": "first_monday",
    # Not in any text we could read: a Monday that is a public holiday moves to the next working day (the
    # practice recorded in Quế Sơn, Quảng Nam, 2022: "ngày làm việc đầu tiên sau kỳ nghỉ Tết").
    "GRASSROOTS_FLAG_HOLIDAY_POLICY": "next_working_day",
    "GRASSROOTS_FLAG_TIME": "07:00",
    "GRASSROOTS_FLAG_DURATION_MINUTES": 30,
    # Party, government, Front and mass-organisation bodies hold it (DOMAIN.md); residential party cells do not.
    "GRASSROOTS_FLAG_UNIT_KINDS": ["party_committee", "ward_committee", "department", "government", "agency",
                                   "mass_org"],
    "GRASSROOTS_LEGAL_BASIS": "Chỉ thị 50-CT/TW ngày 23/7/2025; Hướng dẫn 42-HD/BTCTW ngày 28/10/2025",
    "GRASSROOTS_FLAG_LEGAL_BASIS": "Hướng dẫn số 24-HD/BTGTU ngày 22/02/2017 của Ban Tuyên giáo Tỉnh ủy Quảng Trị",
}


def setting(name: str) -> Any:
    """A rule's value: the Django setting, else the environment (JSON, or plain text), else the default."""
    if hasattr(settings, name):
        return getattr(settings, name)
    raw = os.environ.get(name)
    if raw is not None:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return DEFAULTS[name]


def minimum_minutes(*, combined: bool) -> int:
    return int(setting("GRASSROOTS_MEETING_MIN_MINUTES_COMBINED" if combined else "GRASSROOTS_MEETING_MIN_MINUTES"))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def official_on(*, joined_on: dt.date | None, recorded: dt.date | None) -> dt.date | None:
    """The day a member became official: as recorded, else the end of the probationary period."""
    if recorded is not None:
        return recorded
    if joined_on is None:
        return None
    return add_months(joined_on, int(setting("GRASSROOTS_PROBATION_MONTHS")))


def score_frame() -> list[tuple[str, str, int]]:
    return [(str(key), str(label), int(points)) for key, label, points in setting("GRASSROOTS_SCORE_FRAME")]


GRADES = [("good", _("Good")), ("fair", _("Fair")), ("average", _("Average")), ("weak", _("Weak"))]


def grade_for(score: int | None) -> str:
    if score is None:
        return ""
    good, fair, average = (int(x) for x in setting("GRASSROOTS_GRADE_THRESHOLDS"))
    if score >= good:
        return "good"
    if score >= fair:
        return "fair"
    if score >= average:
        return "average"
    return "weak"


def flag_time() -> dt.time:
    hours, minutes = str(setting("GRASSROOTS_FLAG_TIME")).split(":")
    return dt.time(int(hours), int(minutes))


def flag_unit_kinds() -> list[str]:
    return [str(kind) for kind in setting("GRASSROOTS_FLAG_UNIT_KINDS")]


def _nominal_flag_day(year: int, month: int) -> dt.date:
    rule = setting("GRASSROOTS_FLAG_DAY_RULE")
    first = dt.date(year, month, 1)
    if rule == "monday_of_first_full_week":
        # the first week lying wholly inside the month
        return first + dt.timedelta(days=(7 - first.weekday()) % 7)
    if rule != "first_monday":
        raise ValueError(f"unknown GRASSROOTS_FLAG_DAY_RULE {rule!r}")
    return first + dt.timedelta(days=(0 - first.weekday()) % 7)


def flag_day(year: int, month: int) -> dt.date:
    """The day of the month's flag ceremony: the nominal Monday, moved past a public holiday by the policy."""
    day = _nominal_flag_day(year, month)
    policy = setting("GRASSROOTS_FLAG_HOLIDAY_POLICY")
    if policy == "keep" or is_working_day(day):
        return day
    if policy != "next_working_day":
        raise ValueError(f"unknown GRASSROOTS_FLAG_HOLIDAY_POLICY {policy!r}")
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1

"""Rules of the room that come from the party's texts, each overridable from Django settings, because a text
could not be read in full or may change (docs/decisions.md, "oversight"): the time limits of a case per level
of the inspecting unit, the extension bound, the party format of a decision number, and the built-in 2025
evaluation frame (Hướng dẫn 43-HD/BTCTW: 30 points common criteria, 70 points task results)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.conf import settings

# Days a case may run, by the inspecting unit's kind (orgs.OrgKind). Quy định 296-QĐ/TW: 20 days at the level
# directly above the grassroots is the example in issue 12; the other values are settings, not the text.
TIME_LIMIT_DAYS: dict[str, int] = {"party_committee": 30, "ward_committee": 20, "party_cell": 15}
DEFAULT_TIME_LIMIT_DAYS = 20
EXTENSION_FRACTION = Decimal(1) / Decimal(3)  # extendable by at most a third of the time limit

# "12-QĐ/ĐU", "05-QĐ/UBKTTU": number, kind of document, issuing body (Hướng dẫn 36-HD/VPTW's pattern).
DECISION_NUMBER = re.compile(r"^\d{1,4}-QĐ/[A-ZĐ][A-ZĐ0-9]{0,11}$")


def time_limit_days(org_kind: str) -> int:
    limits = {**TIME_LIMIT_DAYS, **getattr(settings, "OVERSIGHT_TIME_LIMIT_DAYS", {})}
    return int(limits.get(org_kind, getattr(settings, "OVERSIGHT_DEFAULT_TIME_LIMIT_DAYS", DEFAULT_TIME_LIMIT_DAYS)))


def max_extension_days(limit: int) -> int:
    return int(Decimal(limit) * EXTENSION_FRACTION)


def decision_number_ok(number: str) -> bool:
    pattern = getattr(settings, "OVERSIGHT_DECISION_NUMBER", None)
    return bool((re.compile(pattern) if pattern else DECISION_NUMBER).match(number))


# --- the 2025 frame ---------------------------------------------------------------------------------------

ALL_FORMS = ",collective,2A,2B,2C,"
MEMBER_FORMS = ",2A,2B,2C,"
# (group, code, title, max points, forms, evidence)
FRAME_2025: list[tuple[str, str, str, int, str, str]] = [
    ("common", "1", "Chính trị, tư tưởng; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
     8, ALL_FORMS, "commitment"),
    ("common", "2", "Đạo đức, lối sống; tinh thần đoàn kết, thống nhất; ý thức tổ chức kỷ luật", 8, ALL_FORMS,
     "discipline"),
    ("common", "3", "Tác phong, lề lối làm việc; sinh hoạt đảng, chấp hành nguyên tắc tập trung dân chủ",
     7, ALL_FORMS, "meetings"),
    ("common", "4", "Công tác kiểm tra, giám sát; khắc phục hạn chế, khuyết điểm đã được chỉ ra", 7, ALL_FORMS,
     "oversight"),
    ("tasks", "5", "Kết quả thực hiện các nhiệm vụ trong kế hoạch năm (đúng hạn, vượt chỉ tiêu)", 40, ALL_FORMS,
     "tasks"),
    ("tasks", "6", "Giải quyết phản ánh, kiến nghị của Nhân dân; đối thoại, nắm tình hình ở cơ sở", 15,
     ",collective,2A,", "issues"),
    ("tasks", "7", "Xây dựng, nhân rộng mô hình, cách làm hay; thi đua, khen thưởng", 15, ",collective,2A,",
     "practices"),
    ("tasks", "6b", "Thực hiện nhiệm vụ được giao tại nơi cư trú, cơ quan, đơn vị", 30, ",2B,2C,", "commendations"),
]

# Levels: minimum points and the named conditions that must hold (services/evaluation.py computes them), after
# Article 11 of Quy định 366-QĐ/TW as the press reported it (docs/decisions.md, "oversight").
RULES_2025: dict[str, Any] = {
    "excellent": {"min": 90, "conditions": ["all_tasks_on_time", "exceeded_share_30", "no_discipline",
                                            "no_subordinate_discipline"]},
    "good": {"min": 70, "conditions": ["all_tasks_on_time"]},
    "done": {"min": 50, "conditions": ["late_share_at_most_20"]},
    "not_done": {"min": 0, "conditions": []},
}

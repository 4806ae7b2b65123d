"""Generator step of the grassroots room: each party cell's regular monthly meetings of the last MONTHS months,
held, with the roll call of every current member and the meeting's counters as services.record_attendance writes
them. At --scale 1: 60,000 cells × 3 months = 180,000 meetings and ~15 million attendance rows."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from harness import GenContext, generator_step

from chithi.core.text import fold
from chithi.grassroots.models import Attendance, Meeting

MONTHS = 3
# (status, reason, weight): as in bench/grassroots_bench.py, most members come.
STATUS = [("present", "", 0.86), ("excused", "work", 0.07), ("excused", "illness", 0.04), ("unexcused", "", 0.03)]
TOPICS = ["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Nâng cao chất lượng sinh hoạt chi bộ",
          "Đảng viên gương mẫu nơi cư trú"]
PLACE = "Nhà văn hóa"


@lru_cache(maxsize=200_000)
def meeting_search_text(topic: str, place: str, unit_name: str) -> str:
    return fold(" ".join(filter(None, [topic, place, unit_name])))  # core.search.search_text_of's order


def _months(today: dt.date) -> list[tuple[int, int]]:
    """The last MONTHS whole months before this one, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return out[::-1]


@generator_step("grassroots", after=("orgs", "people"))
def grassroots(ctx: GenContext) -> None:
    cells: list[tuple[int, str, int]] = ctx.shared["cells"]
    names = {pk: name for pk, _path, name in ctx.shared["units"]}
    n_people: int = ctx.shared["people"]
    rng = ctx.rng()
    weights = [w for _s, _r, w in STATUS]
    tz = dt.timezone(dt.timedelta(hours=7))
    months = _months(ctx.now.date())
    meeting_fields = ["id", "organisation_id", "kind", "theme_kind", "topic", "starts_at", "planned_minutes",
                      "place", "period", "status", "notified_at", "roster_official", "roster_probationary",
                      "present_official", "present_probationary", "absent_excused", "absent_unexcused",
                      "exempt_absent", "search_text"]
    pk = 0
    with ctx.rows_of(Meeting, meeting_fields) as meetings, \
            ctx.rows_of(Attendance, ["meeting_id", "person_id", "status", "reason", "probationary"]) as attendance:
        roll_call = attendance.add_text
        for index, (cell_id, _path, _ward) in enumerate(cells):
            # The people step puts person pk in cells[(pk - 1) % len(cells)]: these are the cell's members.
            members = range(index + 1, n_people + 1, len(cells))
            for number, (year, month) in enumerate(months):
                pk += 1
                thematic = (month % 3 == 0)
                topic = TOPICS[(cell_id + number) % len(TOPICS)] if thematic else ""
                starts = dt.datetime(year, month, 5 + cell_id % 7, 19, 30, tzinfo=tz)
                counts = {"present": 0, "excused": 0, "unexcused": 0}
                for person, (status, reason, _w) in zip(members, rng.choices(STATUS, weights, k=len(members)),
                                                        strict=True):
                    roll_call(pk, person, status, reason, "f")
                    counts[status] += 1
                meetings.add(pk, cell_id, "combined" if thematic else "regular", "ho_chi_minh" if thematic else "",
                             topic, starts, 120 if thematic else 90, PLACE, year * 100 + month, "held",
                             starts - dt.timedelta(days=3), len(members), 0, counts["present"], 0, counts["excused"],
                             counts["unexcused"], 0, meeting_search_text(topic, PLACE, names[cell_id]))

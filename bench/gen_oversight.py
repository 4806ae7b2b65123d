"""Generator step of the oversight room: the year's evaluation round opened at each province, with the
collective form of every party cell and the individual form of every member, decided (a level and points), so
the evidence panel and the per-unit summary table can be measured on the national tree (bench/oversight_bench.py
with DATABASE_URL). At --scale 1: 34 rounds, ~60,000 collective and ~5 million individual evaluations.

The frame is the built-in 2025 one (oversight.rules.FRAME_2025) written as data rows, as services.install_frame
writes it; the scores per criterion are not generated (the panel and the summary do not read them)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from harness import GenContext, generator_step

from chithi.oversight import rules
from chithi.oversight.models import LEVEL_ORDER, Criterion, Evaluation, EvaluationStatus, FormKind, Frame, Round

# the share of each level among decided evaluations, best first (an assumption for the load, not a source)
LEVEL_WEIGHTS = (15, 60, 20, 5)
POINTS = {0: (90, 100), 1: (70, 89), 2: (50, 69), 3: (20, 49)}


@generator_step("oversight", after=("orgs", "people"))
def oversight(ctx: GenContext) -> None:
    year = ctx.now.year  # the meetings and tasks the other steps write fall in this year
    provinces: list[tuple[int, str]] = ctx.shared["provinces"]
    wards: list[tuple[int, str, str, int]] = ctx.shared["wards"]
    cells: list[tuple[int, str, int]] = ctx.shared["cells"]
    n_people: int = ctx.shared["people"]
    rng = ctx.rng()
    frame_id = 1  # a scratch database: the generator's ids start at 1 and the sequences are reset after
    with ctx.rows_of(Frame, ["id", "year", "name", "source", "rules"]) as rows:
        rows.add(frame_id, year, f"Khung đánh giá, xếp loại chất lượng năm {year}",
                 "Quy định 366-QĐ/TW (30/08/2025); Hướng dẫn 43-HD/BTCTW (31/10/2025)", json.dumps(rules.RULES_2025))
    with ctx.rows_of(Criterion, ["frame_id", "group", "code", "title", "max_points", "forms", "evidence",
                                 "position"]) as rows:
        for i, (group, code, title, points, forms, evidence) in enumerate(rules.FRAME_2025):
            rows.add(frame_id, group, code, title, Decimal(points), forms, evidence, i)
    round_of_province: dict[int, int] = {}
    decided_on = dt.date(year + 1, 1, 10)
    with ctx.rows_of(Round, ["id", "organisation_id", "frame_id", "year", "deadline", "status"]) as rows:
        for number, (province_id, _path) in enumerate(provinces, start=1):
            round_of_province[province_id] = number
            rows.add(number, province_id, frame_id, year, dt.date(year + 1, 1, 15), "open")
    province_of_ward = {ward_id: province_id for ward_id, _p, _n, province_id in wards}
    levels = list(LEVEL_ORDER)

    def decided() -> tuple[str, Decimal]:
        index = rng.choices(range(len(levels)), weights=LEVEL_WEIGHTS)[0]
        low, high = POINTS[index]
        return levels[index], Decimal(low + int(rng.random() * (high - low + 1)))

    fields = ["round_id", "form_kind", "organisation_id", "person_id", "status", "total", "self_level",
              "proposed_level", "decided_level", "facts", "proposed_on", "decided_on"]
    approved = EvaluationStatus.APPROVED
    with ctx.rows_of(Evaluation, fields) as rows:
        for cell_id, _path, ward_id in cells:
            level, total = decided()
            rows.add(round_of_province[province_of_ward[ward_id]], FormKind.COLLECTIVE, cell_id, None, approved,
                     total, level, level, level, "{}", decided_on, decided_on)
        # The people step puts person pk in cells[(pk - 1) % len(cells)] (its current cell).
        for pk in range(1, n_people + 1):
            cell_id, _path, ward_id = cells[(pk - 1) % len(cells)]
            level, total = decided()
            rows.add(round_of_province[province_of_ward[ward_id]], FormKind.MEMBER, cell_id, pk, approved, total,
                     level, level, level, "{}", decided_on, decided_on)

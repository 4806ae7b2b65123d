"""Generator step of the reports room: the 2026 reporting rounds of every province (the six-month review, closed
for new reports at its deadline, and the annual review still open) and their reports — one a ward, with figures and
the five narrative sections filled; most submitted or accepted, one ward in twenty still a draft (late), and the
province's own report to compile. bench/reports_bench.py compiles a province's report from these."""

from __future__ import annotations

import datetime as dt

from harness import GenContext, generator_step
from psycopg.types.json import Jsonb

from chithi.reports.figures import KEYS
from chithi.reports.models import SECTION_KEYS, Report, ReportKind, ReportStatus, Round, RoundStatus

ROUNDS = (
    (ReportKind.SIX_MONTH, "Sơ kết 6 tháng đầu năm 2026", dt.date(2026, 1, 1), dt.date(2026, 6, 30),
     dt.date(2026, 7, 5)),
    (ReportKind.ANNUAL, "Tổng kết năm 2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 20)),
)
SECTION_TEXT = ("Cấp ủy đã lãnh đạo, chỉ đạo triển khai kịp thời các nhiệm vụ trong kỳ; "
                "tổ chức quán triệt, xây dựng kế hoạch và phân công cụ thể cho từng chi bộ. ") * 3


@generator_step("reports", after=("orgs",))
def reports(ctx: GenContext) -> None:
    wards_of: dict[int, list[int]] = {}
    for ward_id, _path, _name, province_id in ctx.shared["wards"]:
        wards_of.setdefault(province_id, []).append(ward_id)
    rng = ctx.rng()
    round_id = 0
    rounds: list[tuple[int, int, str, dt.date]] = []  # (round, province, status, deadline)
    with ctx.rows_of(Round, ["id", "organisation_id", "kind", "title", "period_start", "period_end", "deadline",
                             "status"]) as rows:
        for province_id, _path in ctx.shared["provinces"]:
            for kind, title, start, end, deadline in ROUNDS:
                round_id += 1
                status = RoundStatus.CLOSED if kind == ReportKind.SIX_MONTH else RoundStatus.OPEN
                rows.add(round_id, province_id, kind, title, start, end, deadline, status)
                rounds.append((round_id, province_id, status, deadline))
    sections = Jsonb(dict.fromkeys(SECTION_KEYS, SECTION_TEXT))
    with ctx.rows_of(Report, ["round_id", "organisation_id", "compiled", "status", "figures", "sections",
                              "submitted_at", "place", "signer_title", "overrides"]) as rows:
        for round_, province_id, status, deadline in rounds:
            rows.add(round_, province_id, True, ReportStatus.DRAFT, Jsonb(dict.fromkeys(KEYS, 0)), Jsonb({}), None,
                     "", "", Jsonb({}))
            sent = dt.datetime.combine(deadline, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(days=2)
            for number, ward_id in enumerate(wards_of.get(province_id, [])):
                figures = {key: int(rng.random() * 40) for key in KEYS}
                figures["tasks_done"] = min(figures["tasks_done"], figures["tasks_total"])
                late = number % 20 == 19
                state = ReportStatus.DRAFT if late else (
                    ReportStatus.ACCEPTED if status == RoundStatus.CLOSED or number % 3 else ReportStatus.SUBMITTED)
                rows.add(round_, ward_id, False, state, Jsonb(figures), Jsonb({}) if late else sections,
                         None if late else sent, "", "BÍ THƯ", Jsonb({}))

"""Generator step of the campaigns room: Chỉ thị 05 and the themes of five years at the centre, this year's plan
for every unit (issued from its parent's plan) and 600,000 plan tasks spread over them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from harness import GenContext, generator_step

from chithi.campaigns.models import Directive, Plan, PlanTask, TaskStatus, Theme
from chithi.core.text import fold

NATIONAL_TASKS = 600_000
YEAR = dt.date.today().year
FIRST_YEAR = YEAR - 4
TASK_TITLES = [
    "Tổ chức học tập chuyên đề năm", "Xây dựng mô hình học tập và làm theo Bác", "Sinh hoạt chi bộ chuyên đề quý",
    "Đối thoại giữa người đứng đầu với Nhân dân", "Rà soát, bổ sung bản cam kết của đảng viên",
    "Tuyên truyền gương điển hình tiên tiến", "Kiểm tra việc thực hiện Chỉ thị 05", "Chào cờ đầu tháng",
    "Báo cáo sơ kết 6 tháng", "Giải quyết kiến nghị của cử tri", "Nhân rộng cách làm hay", "Báo cáo tổng kết năm",
]
TARGETS = ["100% đảng viên tham gia", "Ít nhất 1 mô hình", "4 buổi trong năm", "Xong trước 30/6", ""]


@lru_cache(maxsize=1024)
def task_search_text(title: str, target: str) -> str:
    return fold(" ".join([title, target]))  # as campaigns.services does


@generator_step("campaigns", after=("orgs",))
def campaigns(ctx: GenContext) -> None:
    root_id = ctx.shared["root"][0]
    units: list[tuple[int, str, str]] = ctx.shared["units"]
    rng = ctx.rng()
    today = dt.date.today()
    with ctx.rows_of(Directive, ["id", "organisation_id", "kind", "number", "issued_on", "issuer", "title",
                                 "summary", "search_text"]) as rows:
        number, issuer = "05-CT/TW", "Bộ Chính trị"
        title = "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
        rows.add(1, root_id, "directive", number, dt.date(2016, 5, 15), issuer, title, "",
                 fold(" ".join([number, title, issuer, ""])))
    themes: dict[int, int] = {}
    with ctx.rows_of(Theme, ["id", "organisation_id", "year", "directive_id", "kind", "text", "search_text"]) as rows:
        for pk, year in enumerate(range(FIRST_YEAR, YEAR + 1), start=1):
            text = f"Chủ đề năm {year}: nâng cao chất lượng đội ngũ cán bộ, đảng viên"
            rows.add(pk, root_id, year, 1, "theme", text, fold(text))
            themes[year] = pk
    plan_of_unit: dict[int, int] = {}
    with ctx.rows_of(Plan, ["id", "organisation_id", "theme_id", "parent_id", "year", "title", "number",
                            "starts_on", "ends_on", "search_text"]) as rows:
        for pk, (unit_id, path, name) in enumerate(units, start=1):
            segments = path.rstrip("/").split("/")
            parent_unit = int(segments[-2]) if len(segments) > 1 else None
            title = f"Kế hoạch thực hiện Chỉ thị 05 năm {YEAR} — {name}"
            number = f"{pk}-KH"
            rows.add(pk, unit_id, themes[YEAR], plan_of_unit.get(parent_unit) if parent_unit else None, YEAR,
                     title, number, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), fold(" ".join([title, number])))
            plan_of_unit[unit_id] = pk
    n_tasks = ctx.count(NATIONAL_TASKS)
    n_plans = len(plan_of_unit)
    with ctx.rows_of(PlanTask, ["plan_id", "title", "target", "deadline", "weight", "status", "progress",
                                "cancel_reason", "required", "completed_on", "search_text"]) as rows:
        for number in range(n_tasks):
            plan_id = 1 + (number * n_plans) // n_tasks  # every plan gets its share, in plan order
            title = TASK_TITLES[number % len(TASK_TITLES)]
            target = TARGETS[int(rng.random() * len(TARGETS))]
            deadline = dt.date(YEAR, 1, 15) + dt.timedelta(days=int(rng.random() * 340))
            roll = rng.random()
            completed = None
            if roll < 0.05:
                status, progress = TaskStatus.CANCELLED, 0
            elif deadline < today and roll < 0.75:
                status, progress, completed = TaskStatus.DONE, 100, deadline
            elif roll < 0.85:
                status, progress = TaskStatus.IN_PROGRESS, (10, 25, 40, 60, 80)[int(rng.random() * 5)]
            else:
                status, progress = TaskStatus.PLANNED, 0
            rows.add(plan_id, title, target, deadline, Decimal((1, 1, 2, 3)[int(rng.random() * 4)]), status,
                     progress, "Không còn phù hợp" if status == TaskStatus.CANCELLED else "", plan_id > 1, completed,
                     task_search_text(title, target))
    ctx.shared["plan_year"] = YEAR


@generator_step("campaigns_totals", after=("campaigns",))
def campaigns_totals(ctx: GenContext) -> None:
    """The roll-up totals the services keep (campaigns/totals.py), counted once from the loaded tasks and
    written with COPY: the same recount the `campaigns_totals` check command compares against."""
    from chithi.campaigns import totals
    from chithi.campaigns.models import PlanTotals, UnitTotals

    plans, units, years = totals.expected()
    with ctx.rows_of(PlanTotals, ["plan_id", "organisation_id", "theme_id", "progress_e6", "tasks", "done",
                                  "overdue"]) as rows:
        for pk, c in sorted(plans.items()):
            rows.add(pk, c.organisation_id, c.theme_id, c.progress_e6, c.tasks, c.done, c.overdue)
    with ctx.rows_of(UnitTotals, ["organisation_id", "theme_id", "year", *totals.FIELDS]) as rows:
        for (unit, theme), values in sorted(units.items()):
            rows.add(unit, theme, years[theme], *values)

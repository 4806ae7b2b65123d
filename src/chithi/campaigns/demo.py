"""Đông Hà demo: Chỉ thị 05-CT/TW and Nghị quyết TW4 khóa XII, the city's themes 2017–2026 (2017–2020 word for
word from the article), plans issued to the wards, agencies and cells, with tasks done, in progress and overdue.

Three seeders: the years before the 2025 reform run before the wards merge (so the merger hands the open 2025
plans over to the new wards through the successor handler); the 2026 plan is written and passed down on the merged
wards; its progress comes once the city level has ended (orgs.two_level_2025).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from django.db.models import F

from chithi.core.demo import DemoContext
from chithi.core.workdays import add_working_days
from chithi.orgs.models import Organisation, OrgKind, Person

from . import services, totals
from .models import Directive, DirectiveKind, Plan, PlanTask, TaskStatus, Theme, ThemeKind

THEMES: list[tuple[int, str, str]] = [
    (2017, ThemeKind.THEME, "Nâng cao chất lượng đội ngũ cán bộ, đảng viên"),
    (2018, ThemeKind.THEME, "Nâng cao chất lượng hoạt động của hệ thống chính trị, đề cao kỷ luật, kỷ cương của "
                            "đội ngũ cán bộ, đảng viên"),
    (2019, ThemeKind.THEME, "Đề cao kỷ luật, kỷ cương, phát huy vai trò, trách nhiệm của người đứng đầu; nâng cao "
                            "ý thức, tính tiền phong, gương mẫu của cán bộ, đảng viên"),
    (2020, ThemeKind.THEME, "Xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh; thực hiện việc sắp xếp tổ chức bộ "
                            "máy theo hướng tinh gọn, hiệu quả; chỉ đạo tổ chức thành công đại hội đảng các cấp "
                            "nhiệm kỳ 2020 - 2025"),
    (2020, ThemeKind.THEME, "Tăng cường đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân trong việc "
                            "giải quyết những vấn đề bức xúc, nổi cộm"),
    (2021, ThemeKind.THEME, "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng và chất lượng đội ngũ "
                            "cán bộ, đảng viên"),
    (2022, ThemeKind.THEME, "Đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ Nhân dân; xây dựng đô thị "
                            "văn minh"),
    (2023, ThemeKind.THEME, "Phát huy tinh thần trách nhiệm, gương mẫu của cán bộ, đảng viên trong thực hiện nhiệm "
                            "vụ chính trị ở cơ sở"),
    (2024, ThemeKind.THEME, "Đẩy mạnh chuyển đổi số, xây dựng chính quyền gần dân, sát dân, phục vụ Nhân dân"),
    (2025, ThemeKind.THEME, "Thực hiện tốt việc sắp xếp tổ chức bộ máy, chính quyền địa phương hai cấp tinh gọn, "
                            "hoạt động hiệu lực, hiệu quả"),
    (2026, ThemeKind.THEME, "Nâng cao chất lượng hoạt động của chính quyền địa phương hai cấp, gần dân, sát dân, "
                            "phục vụ Nhân dân"),
    (2026, ThemeKind.BREAKTHROUGH, "Giải quyết dứt điểm các vấn đề bức xúc, nổi cộm về giải phóng mặt bằng, trật tự "
                                   "đô thị và văn minh đô thị ở khu dân cư"),
]

# (title, working days from the start of the year, weight, target)
TASKS: list[tuple[str, int, int, str]] = [
    ("Tổ chức hội nghị quán triệt chủ đề năm đến cán bộ, đảng viên", 25, 1, "100% chi bộ tổ chức quán triệt"),
    ("Xây dựng kế hoạch thực hiện chủ đề năm của đơn vị", 35, 1, ""),
    ("Cán bộ, đảng viên đăng ký, ký bản cam kết làm theo", 45, 2, "100% cán bộ, đảng viên ký cam kết"),
    ("Đưa nội dung học tập và làm theo vào sinh hoạt chi bộ hằng tháng", 120, 2, "12/12 kỳ sinh hoạt"),
    ("Xây dựng, nhân rộng mô hình, cách làm hay trong học tập và làm theo", 160, 3, "Ít nhất 1 mô hình mỗi đơn vị"),
    ("Sơ kết 6 tháng thực hiện chủ đề năm", 130, 1, ""),
    ("Tổng kết năm, biểu dương tập thể, cá nhân điển hình", 235, 2, ""),
]
# The tasks a ward passes on to its party cells.
CELL_TASKS = (0, 2, 3, 6)


def _city() -> Organisation:
    return Organisation.objects.get(code="TU-DH")


def _receivers(city: Organisation) -> list[Organisation]:
    """Wards, agencies, mass organisations and the school: the city's own departments carry the city's plan."""
    return list(city.children.filter(dissolved_on__isnull=True, kind__in=[
        OrgKind.WARD_COMMITTEE, OrgKind.AGENCY, OrgKind.MASS_ORG, OrgKind.SCHOOL]).order_by("sort_key"))


def _city_plan(ctx: DemoContext, theme: Theme, index: int) -> Plan:
    city = theme.organisation
    propaganda = Organisation.objects.filter(parent=city, short_name="Ban Tuyên giáo").first()
    head = Person.objects.filter(full_name="Trần Thanh Tiến").first()
    suffix = f" ({index + 1})" if index else ""
    plan = services.create_plan(
        actor=ctx.actor, organisation=city, theme=theme, number=f"{10 + index}-KH/TU",
        # From 2026 the plan is the province's: the demo writes it on the city before the reform's last step
        # hands it over (orgs.two_level_2025), so its title already says whose it is.
        title=f"Kế hoạch thực hiện chủ đề năm {theme.year}{suffix} của "
              f"{'Tỉnh ủy Quảng Trị' if theme.year > 2025 else 'Thành ủy Đông Hà'}",
        description="Thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị và chủ đề năm của Ban Thường vụ Thành ủy.")
    start = plan.starts_on
    for title, days, weight, target in TASKS:
        services.create_task(
            actor=ctx.actor, plan=plan, title=title, deadline=min(add_working_days(start, days), plan.ends_on),
            weight=weight, target=target, owner_units=[propaganda] if propaganda else [],
            owner_people=[head] if head else [])
    return plan


def _cascade_down(ctx: DemoContext, plan: Plan, *, to_cells: bool) -> list[Plan]:
    services.cascade_plan(actor=ctx.actor, plan=plan, units=_receivers(plan.organisation), lead_working_days=2)
    children = list(plan.children.select_related("organisation"))
    if to_cells:
        for child in children:
            if child.organisation.kind != OrgKind.WARD_COMMITTEE:
                continue
            sent = list(child.tasks.order_by("deadline", "id"))
            wanted = [sent[i] for i in CELL_TASKS if i < len(sent)]
            if child.organisation.children.filter(dissolved_on__isnull=True).exists():
                services.cascade_plan(actor=ctx.actor, plan=child, tasks=wanted, lead_working_days=1)
    return children


def _finish_history(plans: list[Plan], year: int, ctx: DemoContext) -> None:
    """A past year: almost everything was done on time; a few tasks were dropped, with the reason kept."""
    tasks = PlanTask.objects.filter(plan__in=plans).exclude(status=TaskStatus.CANCELLED)
    tasks.update(status=TaskStatus.DONE, progress=100, completed_on=F("deadline"))
    own = tasks.filter(required=False).exclude(plan__organisation__kind=OrgKind.PARTY_COMMITTEE)
    dropped = [pk for pk in own.values_list("pk", flat=True) if ctx.rng.random() < 0.05]
    PlanTask.objects.filter(pk__in=dropped).update(status=TaskStatus.CANCELLED, progress=0, completed_on=None,
                                                   cancel_reason="Lồng ghép vào nhiệm vụ khác của đơn vị")
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(closed_on=dt.date(year, 12, 31))
    totals.refresh(p.pk for p in plans)  # the bulk updates above bypass the services: recount these plans


def _directives(ctx: DemoContext, city: Organisation) -> tuple[Directive, Directive]:
    ct05 = services.create_directive(
        actor=ctx.actor, organisation=city, kind=DirectiveKind.DIRECTIVE, number="05-CT/TW",
        issued_on=dt.date(2016, 5, 15), issuer="Bộ Chính trị",
        title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        summary="Đưa việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh thành việc làm tự giác, "
                "thường xuyên của các cấp ủy, tổ chức đảng, cán bộ, đảng viên; mỗi năm chọn chủ đề và khâu đột "
                "phá để tập trung chỉ đạo.")
    nq4 = services.create_directive(
        actor=ctx.actor, organisation=city, kind=DirectiveKind.RESOLUTION, number="04-NQ/TW",
        issued_on=dt.date(2016, 10, 30), issuer="Ban Chấp hành Trung ương Đảng khóa XII",
        title="Nghị quyết Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy "
              "thoái về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” "
              "trong nội bộ",
        summary="Gắn với Chỉ thị 05-CT/TW trong sinh hoạt chi bộ hằng tháng: đánh giá, liên hệ cá nhân.")
    return ct05, nq4


def seed_before_reform(ctx: DemoContext) -> None:
    """Runs after orgs.dong_ha and before orgs.merger_2025 (apps.py declares both), so the merger hands the open
    2025 plans over to the new wards."""
    city = _city()
    ct05, _nq4 = _directives(ctx, city)
    count_by_year: dict[int, int] = {}
    for year, kind, text in THEMES:
        theme = services.create_theme(actor=ctx.actor, organisation=city, year=year, directive=ct05, text=text,
                                      kind=kind)
        if year > 2025 or kind != ThemeKind.THEME:
            continue
        index = count_by_year.get(year, 0)
        count_by_year[year] = index + 1
        plan = _city_plan(ctx, theme, index)
        # The wards' cells receive plans from 2023 on; earlier years stay at ward level (lighter history).
        children = _cascade_down(ctx, plan, to_cells=year >= 2023)
        grandchildren = list(Plan.objects.filter(parent__in=children))
        if year < 2025:
            _finish_history([plan, *children, *grandchildren], year, ctx)
        else:
            _progress_year(ctx, [plan, *children, *grandchildren], today=dt.date(2025, 6, 20))


def _progress_year(ctx: DemoContext, plans: list[Plan], *, today: dt.date) -> None:
    """Tasks in every state: most past deadlines met, some overdue, later ones under way or not started."""
    rng = ctx.rng
    for task in PlanTask.objects.filter(plan__in=plans).select_related("plan__organisation").order_by("id"):
        roll = rng.random()
        if task.deadline < today:
            if roll < 0.72:
                services.report_progress(actor=ctx.actor, task=task, progress=100,
                                         note="Đã hoàn thành, có báo cáo kết quả.")
            elif roll < 0.9:
                services.report_progress(actor=ctx.actor, task=task, progress=rng.choice([30, 50, 60, 80]),
                                         note="Đang triển khai, chậm so với kế hoạch.")
            # else: left planned and overdue
        elif roll < 0.55:
            services.report_progress(actor=ctx.actor, task=task, progress=rng.choice([10, 20, 40, 60]),
                                     note="Đang triển khai theo kế hoạch.")
    # Finished tasks were finished by their deadline, not on the day the demo was loaded.
    PlanTask.objects.filter(plan__in=plans, status=TaskStatus.DONE).update(completed_on=F("deadline"))


def seed_after_reform(ctx: DemoContext) -> None:
    """After the wards' merger: the 2025 plans (handed to the new wards) close, and the 2026 plan is written and
    passed down. Its progress waits for the end of the city level (seed_progress_2026)."""
    city = _city()
    plans_2025 = list(Plan.objects.filter(year=2025))
    _finish_history(plans_2025, 2025, ctx)
    theme = Theme.objects.get(organisation=city, year=2026, kind=ThemeKind.THEME)
    _cascade_down(ctx, _city_plan(ctx, theme, 0), to_cells=True)


def seed_progress_2026(ctx: DemoContext) -> None:
    """2026's work, done on the two-level tree: it runs after orgs.two_level_2025 has handed the city bodies' open
    plans and tasks to their successors, so no body that ended on 30/06/2025 finishes a task in 2026, and a task is
    done by the unit in charge of it today. Its own random sequence leaves the other seeders' draws alone."""
    rng = random.Random(2026)
    plans = list(Plan.objects.filter(year=2026, closed_on__isnull=True))
    _progress_year(replace(ctx, rng=rng), plans, today=min(dt.date.today(), dt.date(2026, 12, 31)))

"""The demo data: Đông Hà's themes word for word, plans cascaded to wards and cells, tasks in every state, and the
2025 merger handing open plans to the new wards."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command

from chithi.campaigns.models import Directive, Plan, PlanTask, TaskStatus, Theme, ThemeKind
from chithi.core.models import AuditEntry, User
from chithi.core.permissions import restrict
from chithi.orgs.demo import PROVINCE_CODE

DOMAIN_THEMES = {
    2017: ["Nâng cao chất lượng đội ngũ cán bộ, đảng viên"],
    2018: ["Nâng cao chất lượng hoạt động của hệ thống chính trị, đề cao kỷ luật, kỷ cương của đội ngũ cán bộ, "
           "đảng viên"],
    2019: ["Đề cao kỷ luật, kỷ cương, phát huy vai trò, trách nhiệm của người đứng đầu; nâng cao ý thức, tính tiền "
           "phong, gương mẫu của cán bộ, đảng viên"],
    2020: ["Xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh; thực hiện việc sắp xếp tổ chức bộ máy theo hướng "
           "tinh gọn, hiệu quả; chỉ đạo tổ chức thành công đại hội đảng các cấp nhiệm kỳ 2020 - 2025",
           "Tăng cường đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân trong việc giải quyết những "
           "vấn đề bức xúc, nổi cộm"],
}


def test_demo_data(db: Any) -> None:
    """One load (it takes seconds), several checks."""
    call_command("load_demo", stdout=StringIO())
    _directives_and_themes()
    _a_cell_of_today_reads_chi_thi_05_and_every_theme_its_plans_follow()
    _plans_reach_the_cells_with_tasks_in_every_state()
    _merger_handed_the_2025_plans_to_the_new_wards()
    _no_body_that_ended_in_2025_works_in_2026()
    _rollup_totals_have_no_drift()


def _rollup_totals_have_no_drift() -> None:
    """The demo writes through the services (and recounts after its few bulk updates): nothing to repair."""
    from chithi.campaigns import totals

    drift = totals.compare()
    assert (drift.plans[:3], drift.units[:3]) == ([], [])


def _directives_and_themes() -> None:
    # Thành ủy Đông Hà ended on 30/06/2025: the directives it recorded, still in force, and the theme of 2026, a
    # year it never ran, passed to the province; the themes of the years it ran stay its own.
    assert set(Directive.objects.values_list("number", flat=True)) == {"05-CT/TW", "04-NQ/TW"}
    assert set(Directive.objects.filter(organisation__code=PROVINCE_CODE).values_list("number", flat=True)) == {
        "05-CT/TW", "04-NQ/TW"}
    themes = Theme.objects.filter(kind=ThemeKind.THEME, organisation__code="TU-DH")
    for year, texts in DOMAIN_THEMES.items():
        assert sorted(themes.filter(year=year).values_list("text", flat=True)) == sorted(texts)
    for year in range(2021, 2026):
        assert themes.filter(year=year).count() == 1
    assert not Theme.objects.filter(year=2026, organisation__code="TU-DH").exists()
    assert Theme.objects.filter(kind=ThemeKind.THEME, year=2026, organisation__code=PROVINCE_CODE).count() == 1


def _a_cell_of_today_reads_chi_thi_05_and_every_theme_its_plans_follow() -> None:
    """The cell's 2023–2025 plans follow themes of the dissolved city, no longer above it: it still reads them."""
    user = User.objects.get(username="demo.bithuchibo")
    cell = user.role_assignments.get().organisation
    plans = Plan.objects.filter(organisation=cell)
    assert set(plans.values_list("year", flat=True)) >= {2023, 2024, 2025, 2026}
    readable = restrict(Theme.objects.all(), user)
    assert all(readable.filter(pk=plan.theme_id).exists() for plan in plans)
    assert restrict(Directive.objects.all(), user).filter(number="05-CT/TW").exists()


def _plans_reach_the_cells_with_tasks_in_every_state() -> None:
    plans_2026 = Plan.objects.filter(year=2026)
    assert plans_2026.filter(organisation__kind="party_cell").count() >= 10
    assert plans_2026.filter(organisation__kind="ward_committee", organisation__dissolved_on__isnull=True).count() == 2
    tasks = PlanTask.objects.filter(plan__year=2026)
    states = set(tasks.values_list("status", flat=True))
    assert {TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.PLANNED} <= states
    if dt.date.today() > dt.date(2026, 3, 1):
        assert tasks.overdue().exists()


def _no_body_that_ended_in_2025_works_in_2026() -> None:
    """The city's bodies ended on 30/06/2025: their 2026 work went to their successors before any of it was done."""
    tasks_2026 = PlanTask.objects.filter(plan__year=2026)
    ended = {"organisation__dissolved_on__isnull": False}
    assert not tasks_2026.filter(status=TaskStatus.DONE, **{f"plan__{k}": v for k, v in ended.items()}).exists()
    assert not tasks_2026.exclude(status=TaskStatus.CANCELLED).filter(owner_units__dissolved_on__isnull=False).exists()
    assert not Plan.objects.filter(year=2026, closed_on__isnull=True, **ended).exists()


def _merger_handed_the_2025_plans_to_the_new_wards() -> None:
    new_wards = Plan.objects.filter(year=2025, organisation__kind="ward_committee",
                                    organisation__dissolved_on__isnull=True)
    assert new_wards.count() == 2
    assert AuditEntry.objects.filter(action="move", note__contains="01/07/2025").exists()
    # Old wards keep their history: 2017's plans are still theirs.
    assert Plan.objects.filter(year=2017, organisation__dissolved_on=dt.date(2025, 7, 1),
                               organisation__kind="ward_committee").count() == 9


def test_api_schema_describes_the_rollup(client: Any, world: Any) -> None:
    client.force_login(world.user("admin"))
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/rollup/" in response.content and b"/api/plan-tasks/" in response.content

"""Who may open or do what in the campaigns room: every role × every page and API endpoint, inside and outside
the scope (core.testing). Read a row as "these roles get the answer in `ok`; every other role gets 404".

The world: admin, leader, viewer on the city; secretary and staff on ward A; cell_secretary on cell A1;
other_secretary on ward B; nobody without a role. The city's directive and theme are read by every unit below
(read upward), but only the city changes them; plans and tasks are read and changed downward only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chithi.campaigns.tests.samples import pdf, sampled
from chithi.core.testing import (
    ADMIN_ONLY,
    CHANGE_A,
    CHANGE_B,
    CHANGE_WARD_A,
    SIGNED_IN,
    VIEW_A,
    VIEW_B,
    WARD_A,
    Row,
    check_row,
    matrix,
)

ANY_ROLE = SIGNED_IN - {"nobody"}  # everyone with a role reads the city's directive and theme (read upward)
MAY_ADD = frozenset({"admin", "secretary", "staff", "cell_secretary", "other_secretary"})  # in some unit
MAY_EXPORT = MAY_ADD | {"leader"}


def _page(name: str, attribute: str = "", query: str = "") -> Any:
    def url(world: Any) -> str:
        path = reverse(f"campaigns:{name}", args=[getattr(sampled(world), attribute).pk] if attribute else [])
        return f"{path}?{query.format(w=world)}" if query else path
    return url


def _api(path: str) -> Any:
    return lambda world: path.format(s=sampled(world), w=world)


ROWS = [
    # directives: the city's is read by all units below it, changed by the city only
    Row("directive list", _page("directive_list"), SIGNED_IN),
    Row("city directive", _page("directive_detail", "directive"), ANY_ROLE),
    Row("city directive edit", _page("directive_edit", "directive"), ADMIN_ONLY),
    Row("city directive history", _page("directive_history", "directive"), ANY_ROLE),
    Row("city directive document", _page("directive_file", "attachment"), ANY_ROLE),
    Row("city directive attach", _page("directive_upload", "directive"), ADMIN_ONLY, method="post",
        data=lambda world: {"file": pdf()}, ok=302),
    Row("ward B directive", _page("directive_detail", "directive_b"), VIEW_B),
    Row("ward B directive edit", _page("directive_edit", "directive_b"), CHANGE_B),
    Row("new directive", _page("directive_create"), MAY_ADD),
    # themes
    Row("theme list", _page("theme_list"), SIGNED_IN),
    Row("city theme", _page("theme_detail", "theme"), ANY_ROLE),
    Row("city theme edit", _page("theme_edit", "theme"), ADMIN_ONLY),
    Row("city theme history", _page("theme_history", "theme"), ANY_ROLE),
    Row("new theme", _page("theme_create"), MAY_ADD),
    # plans: read and changed downward only
    Row("plan list", _page("plan_list"), SIGNED_IN),
    Row("new plan", _page("plan_create"), MAY_ADD),
    Row("city plan", _page("plan_detail", "plan"), VIEW_A & VIEW_B),
    Row("city plan cascade", _page("plan_cascade", "plan"), ADMIN_ONLY),
    Row("ward A plan", _page("plan_detail", "plan_a"), WARD_A),
    Row("ward A plan history", _page("plan_history", "plan_a"), WARD_A),
    Row("ward A plan edit", _page("plan_edit", "plan_a"), CHANGE_WARD_A),
    Row("ward A plan cascade", _page("plan_cascade", "plan_a"), CHANGE_WARD_A),
    Row("ward A plan new task", _page("task_create", "plan_a"), CHANGE_WARD_A),
    Row("ward A plan close", _page("plan_close", "plan_a"), CHANGE_WARD_A, method="post", ok=302),
    Row("ward B plan", _page("plan_detail", "plan_b"), VIEW_B),
    Row("ward B plan history", _page("plan_history", "plan_b"), VIEW_B),
    Row("ward B plan edit", _page("plan_edit", "plan_b"), CHANGE_B),
    # tasks
    Row("task list", _page("task_list"), SIGNED_IN),
    Row("task export", _page("task_export"), MAY_EXPORT),
    Row("task import", _page("task_import"), MAY_ADD),
    Row("ward A task", _page("task_detail", "task_a"), WARD_A),
    Row("ward A task history", _page("task_history", "task_a"), WARD_A),
    Row("ward A task edit", _page("task_edit", "task_a"), CHANGE_WARD_A),
    Row("ward A task progress", _page("task_progress", "task_a"), CHANGE_WARD_A, method="post",
        data=lambda world: {"progress": 60, "note": "Đã họp"}, ok=302),
    Row("ward A task evidence", _page("task_evidence", "task_a"), CHANGE_WARD_A, method="post",
        data=lambda world: {"kind": "note", "note": "Biên bản"}, ok=302),
    Row("ward A evidence file", _page("evidence_file", "evidence"), WARD_A),
    Row("ward B task", _page("task_detail", "task_b"), VIEW_B),
    Row("ward B task history", _page("task_history", "task_b"), VIEW_B),
    Row("cell A1 task", _page("task_detail", "task_a1"), VIEW_A),
    Row("cell A1 task progress", _page("task_progress", "task_a1"), CHANGE_A, method="post",
        data=lambda world: {"progress": 30}, ok=302),
    # the roll-up
    Row("progress of the whole scope", _page("rollup"), SIGNED_IN),
    Row("progress of ward B", _page("rollup", query="unit={w.ward_b.pk}&year=2026"), VIEW_B),
    Row("progress of cell A1", _page("rollup", query="unit={w.cell_a1.pk}&year=2026"), VIEW_A),
    # the API: the same scope
    Row("API directives", _api("/api/directives/"), SIGNED_IN),
    Row("API ward B directive", _api("/api/directives/{s.directive_b.pk}/"), VIEW_B),
    Row("API city theme", _api("/api/themes/{s.theme.pk}/"), ANY_ROLE),
    Row("API city theme edit", _api("/api/themes/{s.theme.pk}/"), ADMIN_ONLY, method="patch",
        data=lambda world: {"text": "Chủ đề sửa lại"}),
    Row("API plans", _api("/api/plans/"), SIGNED_IN),
    Row("API ward A plan", _api("/api/plans/{s.plan_a.pk}/"), WARD_A),
    Row("API ward A plan edit", _api("/api/plans/{s.plan_a.pk}/"), CHANGE_WARD_A, method="patch",
        data=lambda world: {"number": "15-KH/ĐU"}),
    Row("API city plan cascade", _api("/api/plans/{s.plan.pk}/cascade/"), ADMIN_ONLY, method="post", json=True,
        data=lambda world: {"units": [world.ward_a.pk]}),
    Row("API ward B task", _api("/api/plan-tasks/{s.task_b.pk}/"), VIEW_B),
    Row("API ward A task timeline", _api("/api/plan-tasks/{s.task_a.pk}/timeline/"), WARD_A),
    Row("API ward A task progress", _api("/api/plan-tasks/{s.task_a.pk}/progress/"), CHANGE_WARD_A,
        method="post", json=True, data=lambda world: {"progress": 70}, ok=201),
    Row("API progress of ward B", _api("/api/rollup/?unit={w.ward_b.pk}"), VIEW_B),
]


@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(client: Client, world: Any, row: Row, role: str) -> None:
    check_row(client, world, row, role)

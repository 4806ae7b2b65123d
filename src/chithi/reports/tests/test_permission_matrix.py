"""Who reaches what in the reports room (core.testing): every role × page and API endpoint, inside and outside its
scope. A row's roles get its `ok` status; every other role gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chithi.core.testing import CHANGE_A, CHANGE_WARD_A, SIGNED_IN, VIEW_A, VIEW_B, WARD_A, Row, check_row, matrix

from .. import services
from ..models import Report, ReportKind
from .factories import DEADLINE, END, START, open_ward_round, sections


def _s(w: Any) -> Any:
    cached = getattr(w, "_rs", None)
    if cached is None:
        cached = w._rs = open_ward_round(w)
        cell = w.user("cell_secretary")
        cached.a1 = services.submit_report(actor=cell, report=services.update_report(
            actor=cell, report=cached.a1, sections=sections()))
    return cached


def _b(w: Any) -> Report:
    cached = getattr(w, "_rb", None)
    if cached is None:
        round_ = services.open_round(actor=w.user("other_secretary"), unit=w.ward_b, kind=ReportKind.ANNUAL,
                                     title="Tổng kết năm 2026", period_start=START, period_end=END, deadline=DEADLINE)
        cached = w._rb = Report.objects.get(round=round_, organisation=w.cell_b1)
    return cached


def _returned(w: Any) -> Report:
    return services.return_report(actor=w.user("secretary"), report=_s(w).a1, comment="Bổ sung phần II")


def page(name: str, obj: Any = None, query: str = "") -> Any:
    def url(w: Any) -> str:
        path = reverse(f"reports:{name}", args=[obj(w).pk]) if obj is not None else reverse(f"reports:{name}")
        return path + (f"?{query(w)}" if query else "")
    return url


ROWS = [
    Row("round list", page("round_list"), SIGNED_IN),
    Row("report list", page("report_list"), SIGNED_IN),
    Row("round of ward A", page("round_detail", lambda w: _s(w).round), WARD_A),
    Row("round export of ward A", page("round_export", lambda w: _s(w).round), WARD_A - {"viewer"}),
    Row("report of cell A1", page("report_detail", lambda w: _s(w).a1), VIEW_A),
    Row("report of cell B1", page("report_detail", _b), VIEW_B),
    Row("edit cell A1's returned report", page("report_edit", lambda w: _returned(w)), CHANGE_A),
    Row("return cell A1's report", page("report_return", lambda w: _s(w).a1), CHANGE_WARD_A),
    Row("accept cell A1's report", page("report_accept", lambda w: _s(w).a1), CHANGE_WARD_A, method="post", ok=302),
    Row("compile ward A's report", page("report_compile", lambda w: _s(w).own), CHANGE_WARD_A, method="post",
        ok=302),
    Row("dashboard of ward B", page("dashboard", query=lambda w: f"unit={w.ward_b.pk}"), VIEW_B),
    Row("API round of ward A", lambda w: reverse("report-round-detail", args=[_s(w).round.pk]), WARD_A),
    Row("API board of ward A", lambda w: reverse("report-round-board", args=[_s(w).round.pk]), WARD_A),
    Row("API report of cell A1", lambda w: reverse("report-detail", args=[_s(w).a1.pk]), VIEW_A),
    Row("API accept cell A1's report", lambda w: reverse("report-accept", args=[_s(w).a1.pk]), CHANGE_WARD_A,
        method="post"),
]


@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(row: Row, role: str, world: Any, client: Client) -> None:
    check_row(client, world, row, role)

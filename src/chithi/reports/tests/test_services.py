"""The reporting cycle: open, draft with figures, submit, return, accept, freeze, correct, compile, number,
render, remind — and every bad input refused with its message, nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chithi.core.models import Notification

from .. import services
from ..models import DocumentNumber, Report, ReportKind, ReportStatus, Round
from .factories import DEADLINE, END, START, TODAY, open_ward_round, product_data, sections

pytestmark = pytest.mark.django_db


def _submit(report: Report, user: Any) -> Report:
    report = services.update_report(actor=user, report=report, sections=sections())
    return services.submit_report(actor=user, report=report)


def test_a_round_gives_each_sub_unit_a_draft_with_its_figures(world: Any) -> None:
    product_data(world)
    s = open_ward_round(world)
    assert s.a1.status == ReportStatus.DRAFT and not s.a1.compiled and s.own.compiled
    assert s.a1.figures["tasks_total"] == 2 and s.a1.figures["tasks_done"] == 1
    assert s.a1.figures["tasks_overdue"] == 1 and s.a1.figures["practices_new"] == 1
    assert s.a2.figures["tasks_total"] == 1 and s.a2.figures["tasks_overdue"] == 1
    # The ward's own figures are its subtree's: the sum of its cells' here.
    assert s.own.figures["tasks_total"] == 3
    assert set(s.a1.sections) == {"I", "II", "III", "IV", "V"}
    # The cell's secretary is told.
    assert Notification.objects.filter(user=world.user("cell_secretary"), url__contains=str(s.round.pk)).exists()


def test_bad_rounds_are_refused(world: Any) -> None:
    secretary = world.user("secretary")
    with pytest.raises(ValidationError) as exc:
        services.open_round(actor=secretary, unit=world.ward_a, kind=ReportKind.ANNUAL, title="X",
                            period_start=END, period_end=START, deadline=DEADLINE)
    assert "period_end" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.open_round(actor=world.user("cell_secretary"), unit=world.cell_a1, kind=ReportKind.ANNUAL,
                            title="X", period_start=START, period_end=END, deadline=DEADLINE)
    assert "__all__" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.open_round(actor=secretary, unit=world.ward_b, kind=ReportKind.ANNUAL, title="X",
                            period_start=START, period_end=END, deadline=DEADLINE)
    assert not Round.objects.exists() and not Report.objects.exists()


def test_submit_return_accept_freeze_and_correct(world: Any) -> None:
    s = open_ward_round(world)
    cell, ward = world.user("cell_secretary"), world.user("secretary")
    with pytest.raises(ValidationError, match="còn thiếu: I, II, III, IV, V"):
        services.submit_report(actor=cell, report=s.a1)
    report = _submit(s.a1, cell)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    # The cell never decides on its own report.
    with pytest.raises(PermissionDenied):
        services.accept_report(actor=cell, report=report)
    with pytest.raises(ValidationError, match="ghi rõ nội dung cần bổ sung"):
        services.return_report(actor=ward, report=report, comment="  ")
    report = services.return_report(actor=ward, report=report, comment="Bổ sung số liệu mô hình")
    assert report.status == ReportStatus.RETURNED
    report = services.submit_report(actor=cell, report=report)
    report = services.accept_report(actor=ward, report=report)
    assert report.status == ReportStatus.ACCEPTED
    with pytest.raises(ValidationError, match="không sửa được"):
        services.update_report(actor=cell, report=report, summary="Sửa")
    with pytest.raises(ValidationError):
        services.correct_report(actor=cell, report=report, reason=" ")
    new = services.correct_report(actor=cell, report=report, reason="Sai số liệu nhiệm vụ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUPERSEDED and report.summary == ""
    assert new.version == 2 and new.status == ReportStatus.DRAFT and new.correction_reason == "Sai số liệu nhiệm vụ"
    assert new.sections == report.sections


def test_a_figure_typed_over_a_computed_one_needs_its_reason(world: Any) -> None:
    product_data(world)
    s = open_ward_round(world)
    cell = world.user("cell_secretary")
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        services.update_report(actor=cell, report=s.a1, overrides={"tasks_done": {"value": 2, "reason": ""}})
    with pytest.raises(ValidationError, match="số nguyên"):
        services.update_report(actor=cell, report=s.a1, overrides={"tasks_done": {"value": -1, "reason": "x"}})
    with pytest.raises(ValidationError, match="Chỉ tiêu không tồn tại"):
        services.update_report(actor=cell, report=s.a1, overrides={"nope": {"value": 1, "reason": "x"}})
    s.a1.refresh_from_db()
    assert s.a1.overrides == {}
    report = services.update_report(actor=cell, report=s.a1,
                                    overrides={"tasks_done": {"value": 2, "reason": "Nhiệm vụ 2 xong ngày 30/6"}})
    assert report.value("tasks_done") == 2 and report.figures["tasks_done"] == 1


def test_a_report_after_the_round_closed_is_refused(world: Any) -> None:
    s = open_ward_round(world)
    cell = world.user("cell_secretary")
    report = services.update_report(actor=cell, report=s.a1, sections=sections())
    services.close_round(actor=world.user("secretary"), round_=s.round)
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="Đợt báo cáo đã đóng"):
        services.submit_report(actor=cell, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_compiled_figures_sum_the_sub_units_and_flag_a_disagreement(world: Any) -> None:
    product_data(world)
    s = open_ward_round(world)
    cell, ward = world.user("cell_secretary"), world.user("secretary")
    a1 = services.update_report(actor=cell, report=s.a1, sections=sections("Chi bộ 1"),
                                overrides={"tasks_done": {"value": 2, "reason": "Hoàn thành cuối kỳ"}})
    services.accept_report(actor=ward, report=services.submit_report(actor=cell, report=a1))
    services.accept_report(actor=ward, report=_submit(s.a2, ward))
    own = services.compile_report(actor=ward, report=s.own, today=TODAY)
    assert own.figures["tasks_total"] == 3 and own.figures["tasks_done"] == 2  # the reported, corrected figure
    assert "[Chi bộ Khu phố 1] Chi bộ 1 I" in own.sections["I"]
    check = {c["key"]: c for c in services.compile_check(own, today=TODAY)}
    assert not any(c["flag"] for c in check.values())
    assert check["tasks_done"]["live"] == 1 and check["tasks_done"]["live_differs"]
    own = services.update_report(actor=ward, report=own, overrides={"tasks_total": {"value": 9, "reason": "Ước"}})
    assert {c["key"] for c in services.compile_check(own, today=TODAY) if c["flag"]} == {"tasks_total"}
    # Compiling twice does not collect the narratives twice.
    own = services.compile_report(actor=ward, report=own, today=TODAY)
    assert own.sections["I"].count("[Chi bộ Khu phố 1]") == 1
    own = services.submit_report(actor=ward, report=own)
    assert own.status == ReportStatus.ACCEPTED  # the opening unit's own report is finalised


def test_numbers_per_type_and_term_are_never_reused(world: Any) -> None:
    s = open_ward_round(world)
    ward = world.user("secretary")
    first = services.register_number(actor=ward, report=s.own)
    assert (first.number, first.term) == (1, "2025-2030")
    assert services.number_text(first, world.ward_a) == "1-BC/ĐU"
    with pytest.raises(ValidationError, match="đã có số 1-BC/ĐU"):
        services.register_number(actor=ward, report=s.own)
    other = open_ward_round(world)
    with pytest.raises(ValidationError, match="không bao giờ dùng lại"):
        services.register_number(actor=ward, report=other.own, number=1)
    assert services.register_number(actor=ward, report=other.own).number == 2
    assert services.term_of(2030) == "2030-2035" and services.term_of(2029) == "2025-2030"
    assert DocumentNumber.objects.count() == 2


def test_a_failed_render_leaves_the_previous_document(world: Any, monkeypatch: Any) -> None:
    s = open_ward_round(world)
    ward = world.user("secretary")
    report = services.render_document(actor=ward, report=s.own)
    name = report.document.name
    content = report.document.read()
    assert content.startswith(b"PK")

    def broken(_report: Any) -> bytes:
        raise RuntimeError("template broken")

    monkeypatch.setattr("chithi.reports.document.build_docx", broken)
    with pytest.raises(RuntimeError):
        services.render_document(actor=ward, report=report)
    report.refresh_from_db()
    assert report.document.name == name
    with report.document.open("rb") as handle:
        assert handle.read() == content


def test_late_units_are_reminded_once_a_day(world: Any) -> None:
    s = open_ward_round(world)
    _submit(s.a2, world.user("secretary"))
    assert [r.pk for r in services.late_reports(today=TODAY)] == [s.a1.pk]
    assert services.send_reminders(today=TODAY) == 1
    assert services.send_reminders(today=TODAY) == 0
    assert services.send_reminders(today=TODAY + dt.timedelta(days=1)) == 1
    assert services.late_reports(today=DEADLINE) == []


def test_the_reminder_command_runs_in_process(world: Any, monkeypatch: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    s = open_ward_round(world)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    out = StringIO()
    call_command("reports_reminders", "--now", stdout=out)
    assert out.getvalue().strip() == "reminded: 2"  # both cells' drafts are late
    assert Notification.objects.filter(user=world.user("cell_secretary"), url=s.a1.get_absolute_url()).exists()


def test_compiling_long_narratives_is_not_refused(world: Any) -> None:
    """Found by bench/reports_bench.py: 200 wards' narratives exceed a sub-unit's section limit once collected."""
    s = open_ward_round(world)
    ward = world.user("secretary")
    long = sections("x" * (services.MAX_SECTION - 100))
    for report in (s.a1, s.a2):
        services.accept_report(actor=ward, report=services.submit_report(
            actor=ward, report=services.update_report(actor=ward, report=report, sections=long)))
    own = services.compile_report(actor=ward, report=s.own, today=TODAY)
    assert len(own.sections["I"]) > services.MAX_SECTION

"""Test data of the reports room: a ward's round for its two cells with plan tasks, a model and a meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chithi.campaigns.models import TaskStatus
from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory
from chithi.practices.tests.factories import PracticeFactory

from .. import services
from ..models import SECTION_KEYS, Report, ReportKind, Round

START, END, DEADLINE = dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 5)
TODAY = dt.date(2026, 7, 20)  # after the deadline: a report still in draft is late


def sections(text: str = "Nội dung") -> dict[str, str]:
    return {key: f"{text} {key}" for key in SECTION_KEYS}


@dataclass
class Setup:
    round: Round
    a1: Report
    a2: Report
    own: Report


def product_data(world: Any) -> None:
    """Cell A1: 2 tasks in the period (one done), a model started in it; cell A2: 1 task still open (overdue)."""
    plan_a1 = PlanFactory(organisation=world.cell_a1)
    PlanTaskFactory(plan=plan_a1, deadline=dt.date(2026, 3, 31), status=TaskStatus.DONE, progress=100)
    PlanTaskFactory(plan=plan_a1, deadline=dt.date(2026, 5, 31))
    PlanTaskFactory(plan=plan_a1, deadline=dt.date(2026, 9, 30))  # outside the period
    plan_a2 = PlanFactory(organisation=world.cell_a2)
    PlanTaskFactory(plan=plan_a2, deadline=dt.date(2026, 4, 30))
    PracticeFactory(organisation=world.cell_a1, started_on=dt.date(2026, 2, 1))


def open_ward_round(world: Any, *, actor: Any = None) -> Setup:
    round_ = services.open_round(actor=actor or world.user("secretary"), unit=world.ward_a,
                                 kind=ReportKind.SIX_MONTH, title="Sơ kết 6 tháng đầu năm 2026",
                                 period_start=START, period_end=END, deadline=DEADLINE, today=TODAY)
    reports = {r.organisation_id: r for r in Report.objects.filter(round=round_)}
    return Setup(round=round_, a1=reports[world.cell_a1.pk], a2=reports[world.cell_a2.pk],
                 own=reports[world.ward_a.pk])

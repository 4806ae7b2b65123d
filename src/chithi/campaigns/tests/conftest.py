"""A city plan for 2026 with three tasks on top of the shared `world` tree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from chithi.campaigns.models import Directive, Plan, PlanTask, Theme
from chithi.campaigns.tests.factories import DirectiveFactory, PlanFactory, PlanTaskFactory, ThemeFactory


@dataclass
class Campaign:
    directive: Directive
    theme: Theme
    plan: Plan  # the city's plan
    tasks: list[PlanTask]


@pytest.fixture
def campaign(world: Any) -> Campaign:
    directive = DirectiveFactory(organisation=world.city, number="05-CT/TW")
    theme = ThemeFactory(organisation=world.city, directive=directive, year=2026,
                         text="Nâng cao chất lượng hoạt động của chính quyền địa phương hai cấp")
    plan = PlanFactory(organisation=world.city, theme=theme, title="Kế hoạch thực hiện chủ đề năm 2026")
    tasks = [
        PlanTaskFactory(plan=plan, title="Quán triệt chủ đề năm", deadline=dt.date(2026, 3, 2), weight=1),
        PlanTaskFactory(plan=plan, title="Ký cam kết làm theo", deadline=dt.date(2026, 4, 1), weight=2,
                        target="100% đảng viên"),
        PlanTaskFactory(plan=plan, title="Tổng kết năm", deadline=dt.date(2026, 12, 10), weight=1),
    ]
    return Campaign(directive=directive, theme=theme, plan=plan, tasks=tasks)

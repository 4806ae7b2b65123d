"""Builders for the room's tests: each goes through the services, so the rows are what users would make."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from chithi.oversight import services
from chithi.oversight.models import Case, CaseKind, Evaluation, FormKind, Remedy, Round

_numbers = iter(range(1, 10_000))


def case(world: Any, *, kind: str = CaseKind.DIRECTIVE, inspecting: Any = None, inspected: Any = None,
         number: str | None = None, decided_on: dt.date = dt.date(2026, 3, 2), actor: Any = None) -> Case:
    return services.open_case(
        actor=actor or world.user("admin"), inspecting=inspecting or world.ward_a,
        inspected_unit=inspected or world.cell_a1, kind=kind,
        decision_number=number if number is not None else f"{next(_numbers)}-QĐ/ĐU",
        decided_on=decided_on, signatory="Bí thư Đảng ủy", subject="Kiểm tra thực hiện Chỉ thị 05",
        period_start=dt.date(2025, 7, 1), period_end=dt.date(2025, 12, 31), starts_on=decided_on)


def concluded_case(world: Any, **kwargs: Any) -> Case:
    opened = case(world, **kwargs)
    return services.conclude_case(actor=world.user("admin"), case=opened, findings="Có hạn chế",
                                  conclusions="Cần khắc phục", concluded_on=dt.date(2026, 3, 20))


def remedy(world: Any, concluded: Case | None = None) -> Remedy:
    concluded = concluded or concluded_case(world)
    return services.add_recommendation(actor=world.user("admin"), case=concluded, recommendation="Bổ sung kế hoạch",
                                       deadline=dt.date(2026, 6, 30), owner_person=world.person_a1)


def round_(world: Any, *, year: int = 2025) -> Round:
    return services.open_round(actor=world.user("admin"), organisation=world.city, year=year,
                               deadline=dt.date(year + 1, 1, 15))


def evaluation(world: Any, rnd: Round, *, person: Any = None, points: str = "0.95", unit: Any = None) -> Evaluation:
    """A form with every criterion scored at `points` of its maximum."""
    kind = FormKind.MEMBER if person is not None else FormKind.COLLECTIVE
    started = services.start_evaluation(actor=world.user("admin"), round=rnd, organisation=unit or world.cell_a1,
                                        person=person, form_kind=kind)
    for criterion in services.criteria_of(started):
        services.set_score(actor=world.user("admin"), evaluation=started, criterion=criterion,
                           points=(criterion.max_points * Decimal(points)).quantize(Decimal("0.5")))
    started.refresh_from_db()
    return started


def tasks_2025(unit: Any, rows: list[tuple[dt.date, str, dt.date | None]]) -> None:
    """Plan tasks of 2025 in `unit`: (deadline, status, completed on), the status written as it stands."""
    from chithi.campaigns.models import PlanTask
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory, ThemeFactory

    plan = PlanFactory(organisation=unit, theme=ThemeFactory(organisation=unit, year=2025),
                       starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    for deadline, status, completed_on in rows:
        task = PlanTaskFactory(plan=plan, deadline=deadline)
        PlanTask.objects.filter(pk=task.pk).update(status=status, completed_on=completed_on)

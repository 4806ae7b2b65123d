"""The roll-up totals (totals.py): kept by the services through task writes, the cascade, a merger and a move; a
recount from scratch finds no drift; the check command reports drift and repairs it; the overdue clock."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chithi.campaigns import selectors, services, totals
from chithi.campaigns.models import Plan, PlanTask, RollupClock, UnitTotals
from chithi.orgs import services as org_services
from chithi.orgs.tests.factories import OrganisationFactory

TODAY = dt.date(2026, 5, 1)


def _figures(user: Any, **kwargs: Any) -> dict[str, tuple[int, int, int, int, float | None, float | None]]:
    return {n.name: (n.plans, n.tasks, n.done, n.overdue, n.progress, n.own_progress)
            for n in selectors.rollup(user=user, **kwargs).flatten()}


def _recounted(user: Any, **kwargs: Any) -> dict[str, tuple[int, int, int, int, float | None, float | None]]:
    """The same figures from stored totals rewritten from scratch: what the incremental path must equal."""
    totals.rebuild()
    return _figures(user, **kwargs)


def _cascade_all(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    services.cascade_plan(actor=admin, plan=campaign.plan, units=[world.ward_a, world.ward_b])
    services.cascade_plan(actor=admin, plan=Plan.objects.get(organisation=world.ward_a))


def test_task_writes_and_the_cascade_keep_the_totals_without_drift(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    assert totals.compare().count == 0  # the fixture's plan and tasks, written through the services
    _cascade_all(world, campaign)
    services.report_progress(actor=admin, task=campaign.tasks[0], progress=100)
    services.report_progress(actor=admin, task=campaign.tasks[1], progress=40)
    services.report_progress(actor=admin, task=campaign.tasks[2], status="cancelled", cancel_reason="Trùng")
    cell_task = PlanTask.objects.filter(plan__organisation=world.cell_a1).first()
    assert cell_task is not None
    services.report_progress(actor=admin, task=cell_task, progress=60)
    services.update_task(actor=admin, task=PlanTask.objects.get(pk=campaign.tasks[1].pk), weight=5,
                         deadline=dt.date(2026, 2, 1))
    services.create_task(actor=admin, plan=Plan.objects.get(organisation=world.ward_b), title="Việc riêng",
                         deadline=dt.date(2026, 3, 1), weight=0)
    services.create_plan(actor=admin, organisation=world.agency, theme=campaign.theme, title="Kế hoạch công an")
    assert totals.compare().count == 0
    stored = _figures(admin, year=2026, today=TODAY)
    assert stored == _recounted(admin, year=2026, today=TODAY)
    city = stored["Thành ủy Đông Hà"]
    assert city[0] == 6  # city, two wards, two cells of ward A, the agency
    # (1×100 + 5×40) / (1 + 5): the cancelled task no longer counts.
    assert city[5] == pytest.approx(50.0)


def test_a_merger_and_a_move_keep_the_totals(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    _cascade_all(world, campaign)
    services.report_progress(actor=admin, task=PlanTask.objects.filter(plan__organisation=world.cell_a2).first(),
                             progress=80)
    before = _figures(admin, year=2026, today=TODAY)
    # cell A2 moves from ward A to ward B: its plan leaves ward A's sums and joins ward B's.
    org_services.move_organisation(actor=admin, org=world.cell_a2, new_parent=world.ward_b, on_date=TODAY)
    assert totals.compare().count == 0
    after = _figures(admin, year=2026, today=TODAY)
    assert after["Đảng ủy phường Đông Thanh"][0] == before["Đảng ủy phường Đông Thanh"][0] - 1
    assert after["Đảng ủy phường Đông Lễ"][0] == before["Đảng ủy phường Đông Lễ"][0] + 1
    assert after["Thành ủy Đông Hà"] == before["Thành ủy Đông Hà"]
    # The two wards merge into a new one: plans move on, sub-units move under it, nothing drifts.
    org_services.merge_organisations(actor=admin, sources=[world.ward_a, world.ward_b], effective_on=TODAY,
                                     new_name="Đảng ủy phường Đông Hà")
    assert totals.compare().count == 0
    assert _figures(admin, year=2026, today=TODAY) == _recounted(admin, year=2026, today=TODAY)


def test_overdue_follows_the_day_asked_and_the_clock_advances(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    _cascade_all(world, campaign)
    RollupClock.objects.filter(pk=1).update(as_of=dt.date(2026, 1, 1))
    totals.rebuild()  # counted against 1 January: nothing overdue yet
    assert UnitTotals.objects.get(organisation=world.city).overdue == 0
    for day in (dt.date(2026, 1, 1), dt.date(2026, 3, 10), TODAY, dt.date(2026, 12, 31)):
        expected = PlanTask.objects.overdue(day).count()
        assert selectors.rollup(user=admin, year=2026, today=day).roots[0].overdue == expected, day
    assert totals.advance(TODAY) > 0
    assert totals.compare().count == 0
    assert UnitTotals.objects.get(organisation=world.city).overdue == PlanTask.objects.overdue(TODAY).count()
    # Back in time the correction subtracts: the clock's day may be ahead of the day asked.
    assert selectors.rollup(user=admin, year=2026, today=dt.date(2026, 1, 1)).roots[0].overdue == 0


def test_the_check_command_reports_drift_and_repairs_it(world: Any, campaign: Any) -> None:
    _cascade_all(world, campaign)
    out = StringIO()
    call_command("campaigns_totals", stdout=out)
    assert "drift: 0 plans, 0 unit rows" in out.getvalue()
    UnitTotals.objects.filter(organisation=world.ward_a).update(tasks=999)
    with pytest.raises(CommandError, match="drift"):
        call_command("campaigns_totals", stdout=StringIO())
    out = StringIO()
    call_command("campaigns_totals", "--fix", stdout=out)
    assert "drift now 0" in out.getvalue()
    assert totals.compare().count == 0


def test_the_page_reads_only_the_units_it_shows(world: Any, campaign: Any) -> None:
    """Three levels on the page (the focused unit and two below); the API gives the whole tree."""
    admin = world.user("admin")
    _cascade_all(world, campaign)
    deep = OrganisationFactory(name="Tổ đảng 1", parent=world.cell_a1)
    services.cascade_plan(actor=admin, plan=Plan.objects.get(organisation=world.cell_a1), units=[deep])
    shown = selectors.rollup(user=admin, year=2026, today=TODAY, levels=2).flatten()
    assert "Tổ đảng 1" not in {n.name for n in shown}
    everything = selectors.rollup(user=world.user("superuser"), year=2026, today=TODAY, levels=2).flatten()
    assert "Tổ đảng 1" not in {n.name for n in everything} and "Chi bộ Khu phố 1" in {n.name for n in everything}
    whole = {n.name: n for n in selectors.rollup(user=admin, year=2026, today=TODAY).flatten()}
    assert "Tổ đảng 1" in whole
    assert {n.name: n.plans for n in shown} == {n.name: whole[n.name].plans for n in shown}

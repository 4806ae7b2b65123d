"""The home page of whoever may see inspections: the cases under way in their scope, with their time limits, and
the remedial work past its deadline, each number linking to its list."""

from __future__ import annotations

from typing import Any

from django.test import Client

from .factories import case, remedy

# A decision number the factories' counter (1, 2, 3…) does not reach in one test run.
NUMBER = "905-QĐ/ĐU"


def _home(world: Any, username: str) -> str:
    client = Client()
    client.force_login(world.user(username))
    return client.get("/").content.decode()


def test_an_inspectors_home_names_the_cases_under_way_and_the_late_remedial_work(world: Any) -> None:
    under_way = case(world, number=NUMBER)
    remedy(world)  # a concluded case's recommendation, due 30/06/2026 and not done
    home = _home(world, "staff")
    assert "Kiểm tra, giám sát" in home
    assert NUMBER in home and under_way.get_absolute_url() in home
    assert under_way.due_on.strftime("%d/%m/%Y") in home
    assert 'text-danger">1</span>kiến nghị quá hạn khắc phục' in home
    assert "/?status=open" in home and "/?status=concluded" in home
    # Another ward's secretary sees neither; a viewer (who may not read inspections) gets no panel.
    assert NUMBER not in _home(world, "other_secretary")
    assert "Kiểm tra, giám sát" not in _home(world, "viewer")

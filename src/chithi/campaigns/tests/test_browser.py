"""In a real browser: from the menu to a party cell's progress in three clicks, bars drawn without inline styles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from chithi.campaigns import services
from chithi.campaigns.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cascaded(world: Any, campaign: Any) -> None:
    """Written before the browser starts: Playwright's event loop forbids synchronous ORM calls afterwards."""
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    services.cascade_plan(actor=world.user("admin"), plan=Plan.objects.get(organisation=world.ward_a))
    leader = world.user("leader")
    leader.set_password("pw-for-browser-1")
    leader.save()


def test_drill_down_city_ward_cell_in_three_clicks(cascaded: None, live_server: Any, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "pw-for-browser-1")
    page.click("button[type=submit]")
    page.click("nav >> text=Triển khai thực hiện")  # the menu's drop-down
    page.click("nav >> text=Tiến độ")  # 1: the roll-up, focused on the city
    page.click("#rollup >> text=Đảng ủy phường Đông Thanh")  # 2: the ward
    page.click("#rollup >> text=Chi bộ Khu phố 1")  # 3: the cell
    expect(page.locator("h1")).to_have_text(re.compile("Chi bộ Khu phố 1$"))  # waits: a fast or slow machine alike
    expect(page.locator("#rollup tbody tr")).to_have_count(1)
    bar = page.locator("#rollup .progress-bar").first
    assert bar.get_attribute("style") is None and "pct-" in (bar.get_attribute("class") or "")
    # The overdue tasks of the cell are listed under the table.
    assert "Quán triệt chủ đề năm" in page.locator("#overdue").inner_text()


def test_the_task_list_on_a_phone(cascaded: None, live_server: Any, browser_page: Any) -> None:
    """Seen in the demo at 390 px: six columns set a task's title a word a line, its status and progress off the
    screen. On a phone the unit, status and progress stand under the title; the table does not scroll sideways."""
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "pw-for-browser-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/nhiem-vu/")
    first = page.locator("tbody tr").first
    expect(first.locator("[role=progressbar] >> visible=true")).to_have_count(1)
    assert page.locator("thead th:visible").count() == 2
    assert page.evaluate("(() => { const t = document.querySelector('.table-responsive');"
                         " return t.scrollWidth <= t.clientWidth + 1; })()")
    assert page.console_errors == []

"""In a real browser (Debian's Chromium), on a phone and a laptop: the home panel, the dashboard with its charts and
a report page render without script errors and without sideways scrolling of the content."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chithi.conftest import artifact_path

from .. import services
from .factories import open_ward_round, product_data, sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-browser-1"


@pytest.fixture
def prepared(world: Any) -> Any:
    """Written before the browser starts: Playwright's event loop forbids synchronous ORM calls afterwards."""
    product_data(world)
    s = open_ward_round(world)
    cell = world.user("cell_secretary")
    services.submit_report(actor=cell, report=services.update_report(actor=cell, report=s.a1, sections=sections()))
    user = world.user("secretary")
    user.set_password(PASSWORD)
    user.save()
    s.unit_pk = world.ward_a.pk
    return s


@pytest.mark.parametrize("width", [390, 1366])
def test_home_dashboard_and_report_pages(prepared: Any, browser_page: Any, width: int) -> None:
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 768})
    page.goto(f"{page.base_url}/dang-nhap/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("#my-work-today").is_visible()
    page.goto(f"{page.base_url}/bang-dieu-khien/?unit={prepared.unit_pk}&period=half&year=2026&part=1")
    assert page.locator("svg[role=img]").count() == 3
    main_width = page.evaluate("document.querySelector('main') ? document.querySelector('main').scrollWidth : 0")
    assert main_width <= width, f"the dashboard content scrolls sideways at {width}px ({main_width}px)"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"the page (menu bar included) scrolls sideways at {width}px ({page_width}px)"
    page.screenshot(path=artifact_path(f"reports-dashboard-{width}.png"), full_page=True)
    page.goto(f"{page.base_url}/bao-cao/{prepared.a1.pk}/")
    assert page.get_by_role("link", name="Trả lại để bổ sung").is_visible()  # the parent decides
    assert page.locator("h1").inner_text().startswith("Chi bộ Khu phố 1")
    page.screenshot(path=artifact_path(f"reports-report-{width}.png"), full_page=True)
    assert not page.console_errors, page.console_errors

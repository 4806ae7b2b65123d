"""In a real browser (Debian's Chromium), on a phone and a laptop: the home panel, the dashboard with its charts and
a report page render without script errors and without sideways scrolling of the content."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

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
    assert page.locator("svg[role=img]").count() == 4  # tasks, meetings, issues by unit; issues by month
    dashboard_url = page.url
    main_width = page.evaluate("document.querySelector('main') ? document.querySelector('main').scrollWidth : 0")
    assert main_width <= width, f"the dashboard content scrolls sideways at {width}px ({main_width}px)"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"the page (menu bar included) scrolls sideways at {width}px ({page_width}px)"
    # The charts keep the size they were drawn at (their text at 13 px) and scroll in their own box on a phone.
    chart_widths = page.evaluate("[...document.querySelectorAll('.chithi-chart-box svg')]"
                                 ".map(svg => svg.getBoundingClientRect().width)")
    assert len(chart_widths) == 4 and min(chart_widths) >= 479, chart_widths
    page.screenshot(path=artifact_path(f"reports-dashboard-{width}.png"), full_page=True)
    page.goto(f"{page.base_url}/bao-cao/{prepared.a1.pk}/")
    assert page.get_by_role("link", name="Trả lại để bổ sung").is_visible()  # the parent decides
    assert page.locator("h1").inner_text().startswith("Chi bộ Khu phố 1")
    page.screenshot(path=artifact_path(f"reports-report-{width}.png"), full_page=True)
    assert not page.console_errors, page.console_errors
    for url in (dashboard_url, page.url):
        violations = _axe(page, url, width)
        assert not violations, (url, violations)


AXE = Path(django_settings.PROJECT_DIR) / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
_AXE_RUN = """async () => (await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v =>
    ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""


def _axe(page: Any, url: str, width: int) -> list[Any]:
    """axe-core's WCAG 2.1 A/AA violations of a signed-in page, injected the way the portal's browser test does:
    in a second context of the same browser that lets the test add a script despite the CSP, with the same
    session cookie."""
    if not AXE.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: axe-core is missing at {AXE} (scripts/test.sh runs npm ci in tools/axe)")
        pytest.skip("axe-core not installed (npm ci --prefix tools/axe) — accessibility check not run")
    context = page.context.browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 768},
                                               bypass_csp=True)
    try:
        context.add_cookies(page.context.cookies())
        audit = context.new_page()
        audit.goto(url, wait_until="load")
        audit.add_script_tag(content=AXE.read_text())
        return list(audit.evaluate(_AXE_RUN))
    finally:
        context.close()

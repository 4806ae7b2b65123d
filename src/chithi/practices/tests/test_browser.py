"""Browser: a visitor opens the public showcase in a real Chromium, searches without diacritics and finds
"Hũ gạo tình thương" (the htmx search and the page's CSP must both work for this)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .factories import PhotoFactory, PracticeFactory

CHROMIUM = os.environ.get("CHITHI_BROWSER") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "var" / "test-artifacts"


def _browser_or_skip() -> str:
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not os.environ.get("CHITHI_BROWSER") and not in_ci:
        reason = "browser tests run when CHITHI_BROWSER is set (make test sets it when /usr/bin/chromium exists)"
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}: the browser tests are required")
    return CHROMIUM


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_finds_hu_gao_without_diacritics(live_server, world):
    executable = _browser_or_skip()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the sync Playwright API runs an event loop
    from playwright.sync_api import expect, sync_playwright

    rice = PracticeFactory(name="Hũ gạo tình thương", organisation=world.agency, is_public=True,
                           fields=["welfare"], description="Mỗi bữa bớt một nắm gạo cho hộ khó khăn.")
    PhotoFactory(practice=rice, caption="Trao gạo")
    PracticeFactory(name="Cột điện nở hoa", organisation=world.cell_a1, is_public=True, fields=["culture"])
    PracticeFactory(name="Mô hình nội bộ", organisation=world.cell_a1, is_public=False)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(locale="vi-VN")
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(f"{live_server.url}/mo-hinh/")
            expect(page.get_by_role("link", name="Cột điện nở hoa")).to_be_visible()
            expect(page.get_by_text("Mô hình nội bộ")).to_have_count(0)
            page.get_by_role("searchbox").fill("hu gao")
            page.get_by_role("searchbox").press("Enter")
            expect(page.get_by_role("link", name="Hũ gạo tình thương")).to_be_visible()
            expect(page.get_by_role("link", name="Cột điện nở hoa")).to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "practices-showcase-search.png"), full_page=True)
            page.get_by_role("link", name="Hũ gạo tình thương").click()
            expect(page.get_by_role("heading", name="Hũ gạo tình thương")).to_be_visible()
            image = page.get_by_role("img", name="Trao gạo")
            expect(image).to_be_visible()
            assert image.evaluate("img => img.naturalWidth") > 0  # served through the public photo view
            page.screenshot(path=str(ARTIFACTS / "practices-public-detail.png"), full_page=True)
        finally:
            browser.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors

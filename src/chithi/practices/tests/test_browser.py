"""Browser: a visitor opens the public showcase in a real Chromium, searches without diacritics and finds
"Hũ gạo tình thương" (the htmx search and the page's CSP must both work for this)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chithi.conftest import artifact_path

from .factories import PhotoFactory, PracticeFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_finds_hu_gao_without_diacritics(live_server, world, browser_page):
    rice = PracticeFactory(name="Hũ gạo tình thương", organisation=world.agency, is_public=True,
                           fields=["welfare"], description="Mỗi bữa bớt một nắm gạo cho hộ khó khăn.")
    PhotoFactory(practice=rice, caption="Trao gạo")
    PracticeFactory(name="Cột điện nở hoa", organisation=world.cell_a1, is_public=True, fields=["culture"])
    PracticeFactory(name="Mô hình nội bộ", organisation=world.cell_a1, is_public=False)
    page = browser_page
    page.goto(f"{live_server.url}/mo-hinh/")
    expect(page.get_by_role("link", name="Cột điện nở hoa")).to_be_visible()
    expect(page.get_by_text("Mô hình nội bộ")).to_have_count(0)
    page.get_by_role("searchbox").fill("hu gao")
    page.get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("link", name="Hũ gạo tình thương")).to_be_visible()
    expect(page.get_by_role("link", name="Cột điện nở hoa")).to_have_count(0)
    page.screenshot(path=artifact_path("practices-showcase-search.png"), full_page=True)
    page.get_by_role("link", name="Hũ gạo tình thương").click()
    expect(page.get_by_role("heading", name="Hũ gạo tình thương")).to_be_visible()
    image = page.get_by_role("img", name="Trao gạo")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") > 0  # served through the public photo view
    page.screenshot(path=artifact_path("practices-public-detail.png"), full_page=True)
    assert page.console_errors == []  # no CSP violation, no script error

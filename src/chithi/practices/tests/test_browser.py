"""Browser: a visitor opens the public showcase in a real Chromium, searches without diacritics and finds
"Hũ gạo tình thương" (the htmx search and the page's CSP must both work for this)."""

from __future__ import annotations

import re

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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_registry_unit_filter_swaps_the_rows_and_keeps_unit_in_the_address(live_server, world, browser_page):
    """The filter inputs come from the FilterSet's form; picking a unit re-draws the rows (htmx) and the
    address carries the one subtree parameter, ?unit=, at 1366 and 390 px."""
    PracticeFactory(name="Tổ tự quản ANTT", organisation=world.cell_a1)
    PracticeFactory(name="Quỹ giúp nhau", organisation=world.cell_b1)
    page = browser_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "viewer")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for width, height in [(1366, 768), (390, 844)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/mo-hinh/danh-muc/")
        expect(page.get_by_role("link", name="Quỹ giúp nhau")).to_be_visible()
        if width < 576:  # a phone folds the empty filters after the first behind one button (core/_filters.html)
            page.get_by_role("button", name=re.compile("Bộ lọc khác")).click()
        page.select_option("#id_unit", str(world.ward_a.pk))
        expect(page.get_by_role("link", name="Quỹ giúp nhau")).to_have_count(0)
        expect(page.get_by_role("link", name="Tổ tự quản ANTT")).to_be_visible()
        assert f"unit={world.ward_a.pk}" in page.url
        page.screenshot(path=artifact_path(f"practices-registry-unit-{width}.png"), full_page=True)
    assert page.console_errors == []

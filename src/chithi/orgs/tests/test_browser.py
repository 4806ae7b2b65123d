"""In a real headless Chromium: log in, switch language, search without diacritics, open a unit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chithi.conftest import artifact_path

pytestmark = pytest.mark.browser


def test_login_switch_language_search_and_open_a_unit(transactional_db, world, browser_page):
    page = browser_page
    page.goto(f"{page.base_url}/")
    page.click("main >> a[href='/dang-nhap/']")  # a citizen's home page; staff log in from it
    assert "/dang-nhap/" in page.url
    page.fill("#id_username", "secretary")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")
    assert page.locator("h1").inner_text() == "Tổng quan"

    with page.expect_navigation():
        page.select_option("#language-form select", "en")  # the select submits itself (static JS)
    assert page.locator("h1").inner_text() == "Overview"

    page.fill("input[name=q]", "dong thanh")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=dong+thanh")
    page.click("#search-orgs >> text=Đảng ủy phường Đông Thanh")
    page.wait_for_url(f"**/to-chuc/{world.ward_a.pk}/")
    assert page.locator("h1").inner_text() == "Đảng ủy phường Đông Thanh"
    assert page.locator("text=Chi bộ Khu phố 1").count() >= 1
    page.screenshot(path=artifact_path("org-detail.png"), full_page=True)
    assert page.console_errors == []  # no CSP violation, no script error


def test_people_list_follows_its_filters_without_reloading(transactional_db, world, browser_page):
    page = browser_page
    page.goto(f"{page.base_url}/dang-nhap/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}/nhan-su/")
    assert page.locator("#person-rows >> text=Lê Thị Bình").count() == 1
    page.evaluate("window.notReloaded = true")  # lost if the page reloads instead of swapping the rows
    with page.expect_response(lambda r: "unit=" in r.url):
        page.select_option("select[name=unit]", str(world.ward_a.pk))
    # expect() polls from Playwright's own script; a string given to wait_for_function is re-run with eval(),
    # which our CSP (script-src 'self') refuses whenever the first look finds the old rows still there.
    expect(page.locator("#person-rows")).not_to_contain_text("Lê Thị Bình")
    assert page.locator("#person-rows >> text=Đường Văn Ánh").count() == 1
    assert page.evaluate("window.notReloaded") is True
    assert f"unit={world.ward_a.pk}" in page.url  # the filtered list has its own address
    page.screenshot(path=artifact_path("people-filtered.png"), full_page=True)
    assert page.console_errors == []

"""In a real headless Chromium: log in, switch language, search without diacritics, open a unit."""

from __future__ import annotations

import datetime as dt

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

    page.click("#user-menu")  # a signed-in user changes language from the user menu
    with page.expect_navigation():
        page.click("#language-form button[value=en]")
    assert page.locator("h1").inner_text() == "Overview"
    page.click("#user-menu")
    expect(page.locator("#language-form button[value=vi]")).to_have_text("Tiếng Việt")  # named in itself

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


@pytest.fixture
def long_memberships(world):
    """A person with two open memberships in units with long names, as in the demo (written before the browser
    starts: Playwright's event loop forbids synchronous ORM calls afterwards)."""
    from chithi.orgs import services
    from chithi.orgs.models import OrgKind
    from chithi.orgs.tests.factories import OrganisationFactory

    office = OrganisationFactory(name="Chi bộ Cơ quan Ủy ban nhân dân phường Đông Thanh", kind=OrgKind.PARTY_CELL,
                                 parent=world.ward_a)
    services.add_membership(actor=world.user("admin"), person=world.person_a1, organisation=office,
                            position="Phó Bí thư Chi bộ kiêm Chủ nhiệm Ủy ban Kiểm tra", since=dt.date(2019, 3, 1))
    return world.person_a1


@pytest.mark.parametrize("width", [390, 1366])
def test_person_page_ends_a_membership_on_a_phone_and_a_pc(transactional_db, long_memberships, browser_page, width):
    """Testers at 390 px: the memberships table pushed the page to 424 px, the "End" button was cut off and its date
    input shrank to 18 px; at 1366 px the button broke onto two lines."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{page.base_url}/dang-nhap/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}/nhan-su/{long_memberships.pk}/")
    page.screenshot(path=artifact_path(f"person-detail-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    # Nor does the table scroll inside its box: on a phone the position goes under the unit's name (seen in the demo:
    # four columns broke "Công an phường Đông Hà" a word a line and hid the end of the table).
    inner = page.evaluate("(b => b.scrollWidth - b.clientWidth)(document.querySelector('.table-responsive'))")
    assert inner <= 0
    forms = page.locator("form[action*='/ket-thuc/']")
    assert forms.count() == 2
    for i in range(forms.count()):
        form = forms.nth(i)
        form.scroll_into_view_if_needed()
        date, button = form.locator("input[name=until]"), form.locator("button")
        assert date.bounding_box()["width"] >= 90  # room for dd/mm/yyyy
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the whole button on the screen
        one_line = page.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)", button.element_handle())
        assert box["height"] < 2 * one_line  # "Kết thúc" on one line
    assert page.console_errors == []

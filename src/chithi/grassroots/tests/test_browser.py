"""In a real browser (Debian's Chromium): the phone form keeps its draft through a reload and a dropped connection,
says when it is offline, sends once the connection is back; the minutes print on one A4 page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from chithi.conftest import artifact_path
from chithi.grassroots import services
from chithi.orgs.tests.factories import superuser

from .factories import Grassroots, grassroots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-browser-1"


@pytest.fixture
def prepared(world: Any) -> Grassroots:
    """Written before the browser starts: Playwright's event loop forbids synchronous ORM calls afterwards."""
    built = grassroots(world)
    for name in ("cell_secretary", "staff"):
        user = world.user(name)
        user.set_password(PASSWORD)
        user.save()
    remarks = [{"person": p.pk, "text": text} for p, text in zip(built.members * 2, [
        "Đề nghị chi bộ quan tâm vệ sinh môi trường tuyến đường trong khu phố, nhất là sau mưa lớn.",
        "Thống nhất với báo cáo; cần vận động các hộ kinh doanh không lấn chiếm vỉa hè, lòng đường.",
        "Học tập và làm theo Bác gắn với việc cụ thể: mỗi đảng viên nhận giúp đỡ một hộ khó khăn.",
        "Đề nghị phân công đảng viên trẻ hỗ trợ người cao tuổi kích hoạt tài khoản định danh điện tử.",
        "Tình hình an ninh trật tự ổn định; duy trì tổ tự quản và camera an ninh tại ngã tư.",
        "Đề nghị kiến nghị phường sớm sửa đèn chiếu sáng hẻm 12 trước Tết.",
    ], strict=False)]
    services.save_minutes(actor=superuser(), meeting=built.meeting, chair=built.members[0],
                          secretary=built.members[1], report="Chi ủy báo cáo kết quả lãnh đạo tháng trước. " * 4,
                          remarks=remarks, resolution="Chi bộ thống nhất nghị quyết tháng tới. " * 5,
                          votes_for=4, votes_total=4,
                          conclusions={str(i.pk): "Thống nhất như báo cáo." for i in built.meeting.agenda.all()})
    for n in range(3):
        services.add_resolution_task(actor=superuser(), meeting=built.meeting, title=f"Nhiệm vụ số {n + 1} tháng tới",
                                     assignee=built.members[n])
    built.absent_name = built.members[-1].full_name  # type: ignore[attr-defined]
    return built


def _login(page: Any, username: str = "cell_secretary") -> None:
    page.goto(f"{page.base_url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


@pytest.mark.parametrize("width", [390, 1366])
def test_the_attendance_draft_survives_a_reload_and_a_dropped_connection(prepared: Grassroots, browser_page: Any,
                                                                         width: int) -> None:
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
    _login(page)
    url = f"{page.base_url}/sinh-hoat-chi-bo/{prepared.meeting.pk}/diem-danh/"
    page.goto(url)
    row = page.locator(".roll-row", has_text=prepared.absent_name)  # type: ignore[attr-defined]
    assert not row.locator("select").is_visible()  # the reason is asked only of an excused absence
    row.locator("input[value=excused]").check()
    row.locator("select").select_option("illness")
    row.locator("input[type=text]").fill("Nằm viện")

    page.reload()  # a closed tab or a reload: the draft comes back
    row = page.locator(".roll-row", has_text=prepared.absent_name)  # type: ignore[attr-defined]
    assert row.locator("input[value=excused]").is_checked()
    assert row.locator("select").input_value() == "illness"
    assert row.locator("input[type=text]").input_value() == "Nằm viện"
    assert "Đã khôi phục bản nháp" in page.locator(".draft-notice").inner_text()

    page.context.set_offline(True)
    banner = page.locator("#offline-banner")
    banner.wait_for(state="visible")
    assert "ngoại tuyến" in banner.inner_text()
    page.screenshot(path=artifact_path(f"grassroots-attendance-offline-{width}.png"), full_page=False)
    page.click("button[type=submit]")
    expect(page.locator(".draft-notice")).to_contain_text("không bị mất")
    assert row.locator("input[value=excused]").is_checked()  # still on the page, nothing lost
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('chithi-draft:')).length") == 1

    page.context.set_offline(False)
    banner.wait_for(state="hidden")
    page.click("button[type=submit]")
    success = page.locator("[role=alert].alert-success")
    success.wait_for()
    assert "Đã điểm danh" in success.inner_text()
    assert f"/sinh-hoat-chi-bo/{prepared.meeting.pk}/" in page.url
    assert "Ốm đau" in page.locator("main").inner_text()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('chithi-draft:')).length") == 0
    page.screenshot(path=artifact_path(f"grassroots-meeting-{width}.png"), full_page=True)
    assert page.console_errors == []


def test_a_refused_submit_keeps_the_draft_and_shows_the_errors(prepared: Grassroots, browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, "staff")
    page.goto(f"{page.base_url}/ho-tro-tai-nha/them/?unit={prepared.police.pk}")
    page.select_option("select[name=household]", str(prepared.household.pk))
    page.fill("input[name=resident_name]", "Bà Nguyễn Thị Riêng")
    page.select_option("select[name=procedure]", str(prepared.request.procedure_id))
    page.check("input[name=reason][value=elderly]")
    page.select_option("select[name=officer]", str(prepared.officer.pk))
    page.fill("input[name=slot_start]", "2020-01-06T08:30")  # in the past: the service refuses it
    page.click("button[type=submit]")
    page.locator(".invalid-feedback").first.wait_for()
    assert "Giờ hẹn đã qua" in page.locator("main").inner_text()
    page.reload()
    assert page.locator("input[name=resident_name]").input_value() == "Bà Nguyễn Thị Riêng"
    page.screenshot(path=artifact_path("grassroots-homehelp-refused-390.png"), full_page=True)


def test_the_minutes_print_on_one_a4_page(prepared: Grassroots, browser_page: Any) -> None:
    page = browser_page
    _login(page)
    page.goto(f"{page.base_url}/sinh-hoat-chi-bo/{prepared.meeting.pk}/bien-ban/in/")
    assert "BIÊN BẢN SINH HOẠT CHI BỘ" in page.locator("body").inner_text()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    with open(artifact_path("grassroots-minutes.pdf"), "wb") as out:
        out.write(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the minutes take {pages} A4 pages"

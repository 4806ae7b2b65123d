"""The public ward pickers (the citizen's form, the list of answered issues): every ward in one list up to
CHITHI_UNIT_PICKER_LIMIT wards; past it (a national installation: 3,321 wards, a 180 KB list) the province first,
and only its wards, from the server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from chithi.dialogues import services
from chithi.dialogues.models import Issue
from chithi.orgs.models import OrgKind
from chithi.orgs.tests.factories import OrganisationFactory, superuser

from .factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_province(world: Any) -> Any:
    """A second province with one ward, beside the world's city and its two wards."""
    province = OrganisationFactory(name="Tỉnh ủy Quảng Bình", short_name="Tỉnh Quảng Bình",
                                   kind=OrgKind.PARTY_COMMITTEE, code="TQB")
    OrganisationFactory(name="Đảng ủy phường Đồng Hới", kind=OrgKind.WARD_COMMITTEE, parent=province, code="P-DH")
    return province


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_a_small_installation_lists_every_ward(world: Any, other_province: Any, client: Client) -> None:
    page = client.get("/gop-y/").content.decode()
    assert 'name="province"' not in page
    wards = _options(page, "area_unit")
    assert wards[0] == "— không rõ —"
    assert sorted(wards[1:]) == ["Phường Đông Lễ", "Phường Đông Thanh", "Phường Đồng Hới"]


@override_settings(CHITHI_UNIT_PICKER_LIMIT=2)
def test_past_the_limit_the_form_asks_for_the_province_first(world: Any, other_province: Any,
                                                             category: Any, client: Client) -> None:
    page = client.get("/gop-y/").content.decode()
    assert _options(page, "province") == ["— chọn —", "Thành ủy Đông Hà", "Tỉnh Quảng Bình"]
    assert _options(page, "area_unit") == ["— không rõ —"]  # filled when a province is chosen
    assert page.index('name="province"') < page.index('name="area_unit"')
    assert 'data-wards="/gop-y/phuong/"' in page and 'data-wards-target="area_unit"' in page

    options = client.get("/gop-y/phuong/", {"province": world.city.pk})
    assert options["Cache-Control"] == "public, max-age=600"
    assert sorted(_options(f'<select name="w">{options.content.decode()}</select>', "w")) == [
        "Phường Đông Lễ", "Phường Đông Thanh", "— không rõ —"]
    for junk in ("", "abc", "9" * 30, str(world.ward_a.pk)):  # nothing, not a number, too long, not a province
        empty = client.get("/gop-y/phuong/", {"province": junk}).content.decode()
        assert _options(f'<select name="w">{empty}</select>', "w") == ["— không rõ —"]

    form = {"category": category.pk, "description": "Đèn đường hỏng cả dãy phố từ tuần trước", "website": ""}
    wrong = client.post("/gop-y/", {**form, "province": other_province.pk, "area_unit": world.ward_a.pk})
    assert wrong.status_code == 400 and not Issue.objects.exists()  # a ward of another province is refused
    again = wrong.content.decode()
    assert _options(again, "area_unit") == ["— không rõ —", "Phường Đồng Hới"]  # the chosen province's wards
    sent = client.post("/gop-y/", {**form, "province": world.city.pk, "area_unit": world.ward_b.pk})
    assert sent.status_code == 302
    assert Issue.objects.get().area_unit == world.ward_b
    # A browser without scripts sends the ward it had, or none: both go through.
    client.post("/gop-y/", {**form, "area_unit": world.ward_a.pk, "description": "Cống bị tắc ở đầu kiệt 5"})
    client.post("/gop-y/", {**form, "description": "Cây đổ chắn ngang đường sau bão"})
    assert Issue.objects.count() == 3


@override_settings(CHITHI_UNIT_PICKER_LIMIT=2)
def test_the_list_of_answered_issues_filters_by_province_then_ward(world: Any, other_province: Any,
                                                                   category: Any, client: Client) -> None:
    far_ward = other_province.children.get()
    admin = superuser()
    for ward, text in ((world.ward_a, "Đèn đường ở Đông Thanh"), (far_ward, "Bến cá ở Đồng Hới")):
        issue = IssueFactory(category=category, area_unit=ward, description=f"{text} đã được sửa chưa?")
        services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
        services.answer_issue(actor=admin, issue=Issue.objects.get(pk=issue.pk), answer="Đã xử lý.")
    page = client.get("/phan-anh/").content.decode()
    assert "Đông Thanh đã" in page and "Đồng Hới đã" in page
    assert len(_options(page, "ward")) == 1  # "all wards" only, until a province is chosen
    chosen = client.get("/phan-anh/", {"province": other_province.pk}).content.decode()
    assert "Đồng Hới đã" in chosen and "Đông Thanh đã" not in chosen
    assert _options(chosen, "ward")[1:] == ["Phường Đồng Hới"]

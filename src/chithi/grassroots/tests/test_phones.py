"""A household's phone follows the one rule of core.contacts, as a citizen's contact does in dialogues: the
grassroots room had its own ("8 to 15 digits", really characters), so "12345678" was recorded here and refused on the
public form, while "0912-345-678" and "(0233) 3852 123", taken there, were refused here."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chithi.dialogues import services as dialogue_services
from chithi.grassroots import services
from chithi.grassroots.models import Household
from chithi.orgs.tests.factories import superuser

from .factories import Grassroots

REFUSED = ["12345678", "abcdefgh-123", "1234 5678 9012", "0912 345 67", "+84 0912 345 678"]
ACCEPTED = ["0912-345-678", "(0233) 3852 123", "0233 3852 123", "+84 912 345 678", "0912.345.678"]
MESSAGE = "Vui lòng ghi số điện thoại Việt Nam"


def _create(world: Any, phone: str) -> Household:
    return services.create_household(actor=superuser(), residential_area=world.cell_a1, head_name="Lê Văn Hộ",
                                     address="5 Hẻm Trần Hưng Đạo", phone=phone)


@pytest.mark.parametrize("phone", REFUSED)
def test_a_household_phone_the_public_form_refuses_is_refused_here_too(world: Any, phone: str) -> None:
    assert dialogue_services.phone_problem(phone)  # the citizen's form refuses it
    with pytest.raises(ValidationError) as exc:
        _create(world, phone)
    assert list(exc.value.message_dict) == ["phone"] and MESSAGE in exc.value.message_dict["phone"][0]
    assert not Household.objects.filter(head_name="Lê Văn Hộ").exists()


@pytest.mark.parametrize("phone", ACCEPTED)
def test_a_household_phone_the_public_form_takes_is_taken_here_too(world: Any, phone: str) -> None:
    assert not dialogue_services.phone_problem(phone)
    assert _create(world, phone).phone == phone


def test_a_phone_recorded_before_the_rule_stays_editable_and_a_change_is_checked(
        world: Any, gw: Grassroots) -> None:
    Household.objects.filter(pk=gw.household.pk).update(phone="12345678")  # taken by the old rule
    household = Household.objects.get(pk=gw.household.pk)
    changed = services.update_household(actor=superuser(), household=household, phone="12345678",
                                        head_name="Nguyễn Thị Riêng (mẹ)")
    assert (changed.head_name, changed.phone) == ("Nguyễn Thị Riêng (mẹ)", "12345678")
    with pytest.raises(ValidationError) as exc:
        services.update_household(actor=superuser(), household=changed, phone="1234567")
    assert list(exc.value.message_dict) == ["phone"]
    assert Household.objects.get(pk=gw.household.pk).phone == "12345678"


def test_the_api_refuses_the_phone_on_its_field(world: Any, client: Client) -> None:
    client.force_login(world.user("secretary"))
    response = client.post(reverse("household-list"), json.dumps({
        "residential_area": world.cell_a1.pk, "head_name": "Lê Văn Hộ", "address": "5 Hẻm Trần Hưng Đạo",
        "phone": "12345678"}), content_type="application/json")
    assert response.status_code == 400 and MESSAGE in response.json()["phone"][0]
    assert not Household.objects.filter(head_name="Lê Văn Hộ").exists()


def _error_text(page: str, field_id: str) -> str:
    assert f'aria-describedby="{field_id}_error"' in page, f"{field_id} is not marked invalid"
    found = re.search(rf'<div[^>]*\bid="{field_id}_error"[^>]*>(.*?)</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


def test_the_form_says_it_under_the_phone_in_vietnamese_and_keeps_what_was_typed(
        world: Any, client: Client) -> None:
    client.force_login(world.user("secretary"))
    response = client.post(reverse("grassroots:household_create"), {
        "residential_area": world.cell_a1.pk, "head_name": "Lê Văn Hộ", "address": "5 Hẻm Trần Hưng Đạo",
        "phone": "abcdefgh-123"})
    page = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in _error_text(page, "id_phone") and 'value="Lê Văn Hộ"' in page
    assert not Household.objects.filter(head_name="Lê Văn Hộ").exists()
    response = client.post(reverse("grassroots:household_create"), {
        "residential_area": world.cell_a1.pk, "head_name": "Lê Văn Hộ", "address": "5 Hẻm Trần Hưng Đạo",
        "phone": "(0233) 3852 123"})
    assert response.status_code == 302
    assert Household.objects.get(head_name="Lê Văn Hộ").phone == "(0233) 3852 123"


def test_the_edit_form_keeps_an_old_phone_untouched(world: Any, gw: Grassroots, client: Client) -> None:
    Household.objects.filter(pk=gw.household.pk).update(phone="12345678")
    client.force_login(world.user("secretary"))
    url = reverse("grassroots:household_edit", args=[gw.household.pk])
    data = {"head_name": "Nguyễn Thị Riêng", "address": "19 Hẻm Lê Lợi", "phone": "12345678", "elderly": "on"}
    assert client.post(url, data).status_code == 302
    assert Household.objects.get(pk=gw.household.pk).address == "19 Hẻm Lê Lợi"
    response = client.post(url, {**data, "phone": "1234 5678 9012"})
    assert response.status_code == 200 and MESSAGE in _error_text(response.content.decode(), "id_phone")

"""Testers' finding: the public form took any text as "phone or e-mail" ("abc!!@@", "12"), which no official could
use to reach the citizen. Every public way in (the form, its JSON twin, Open311) asks services.contact_problem."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chithi.dialogues import services
from chithi.dialogues.models import Issue

from .factories import api_client

pytestmark = pytest.mark.django_db

REFUSED = ["abc!!@@", "12", "0905 111", "09051112223334", "nam@", "@example.vn", "số 0905111222", "++84905111222"]
ACCEPTED = ["0912 345 678", "+84 912345678", "0912.345.678", "0912-345-678", "0233 3852 123", "nam@example.vn",
            "0905 111 222, nam@example.vn", "0914 777 352; thuthao.hoang@example.vn"]


def _form(category: Any, **extra: Any) -> dict[str, Any]:
    return {"category": category.pk, "description": "Rác thải đổ trộm ở bãi đất trống cạnh chợ",
            "address": "Số 45 Hàm Nghi", "reporter_name": "Trần Văn Nam", "reporter_contact": "0905123456",
            "consent_to_publish": "on", "website": "", **extra}


@pytest.mark.parametrize("typed", REFUSED)
def test_a_contact_that_is_neither_a_phone_nor_an_email_is_refused_on_the_public_form(
        world: Any, category: Any, client: Client, typed: str) -> None:
    response = client.post("/gop-y/", _form(category, reporter_contact=typed))
    page = response.content.decode()
    assert response.status_code == 400 and not Issue.objects.exists()
    assert "Vui lòng ghi số điện thoại" in page
    assert "Rác thải đổ trộm ở bãi đất trống cạnh chợ" in page and 'value="Trần Văn Nam"' in page  # input kept


@pytest.mark.parametrize("typed", [*ACCEPTED, ""])
def test_a_phone_or_an_email_or_nothing_is_taken_on_the_public_form(
        world: Any, category: Any, client: Client, typed: str) -> None:
    response = client.post("/gop-y/", _form(category, reporter_contact=typed))
    assert response.status_code == 302
    assert Issue.objects.get().reporter_contact == typed


def test_the_json_intake_refuses_a_bad_contact_on_its_field(world: Any, category: Any, client: Client) -> None:
    body = {"category": category.code, "description": "Đèn đường hỏng nhiều ngày ở tổ 3",
            "reporter_contact": "abc!!@@"}
    response = client.post("/gop-y/api/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["reporter_contact"]
    assert not Issue.objects.exists()


@pytest.mark.parametrize(("field", "typed"), [("phone", "12"), ("phone", "nam@example.vn"), ("email", "abc!!@@"),
                                              ("email", "0905111222")])
def test_open311_refuses_a_bad_phone_or_email(world: Any, category: Any, client: Client, field: str,
                                              typed: str) -> None:
    _client, key = api_client()
    response = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": category.code, "description": "Cống tắc nhiều ngày", "lat": "16.8",
        "long": "107.1", field: typed})
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(f"{field}: ")
    assert not Issue.objects.exists()


def test_the_service_refuses_a_bad_contact_from_the_public(world: Any, category: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.submit_issue(actor=None, channel="web", category=category, reporter_contact="abc!!@@",
                              description="Rác thải đổ trộm ở bãi đất trống cạnh chợ")
    assert list(caught.value.message_dict) == ["reporter_contact"]


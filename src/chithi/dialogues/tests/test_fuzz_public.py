"""Issue 9: a bounded fuzz of the public forms and Open311 — every hostile value in every field answers below
500, on both databases. Deterministic (hypothesis is not a dependency): each field gets each value of HOSTILE,
the others stay valid, so a failure names the field and the value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from .factories import api_client

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202eevil", "\u2066", "9" * 40, "-9" * 20, "1e308", "-1.79e308",
    "NaN", "inf", "²", "٣", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59", "2020-13-45",
    "' OR 1=1 --", "<script>x</script>", "=1+1", "x" * 6_000, " ", "",
]


def _safe(response: Any, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"


def _valid_intake(category: Any, world: Any) -> dict[str, Any]:
    return {"category": category.code, "description": "Đèn đường hỏng nhiều ngày ở tổ 3",
            "area_unit": world.ward_a.pk, "address": "Tổ 3", "reporter_name": "Nguyễn Văn An",
            "reporter_contact": "0905111222", "consent_to_publish": True}


@pytest.mark.parametrize("field", ["category", "description", "area_unit", "address", "reporter_name",
                                   "reporter_contact", "consent_to_publish"])
def test_json_intake_fields(world: Any, category: Any, client: Client, settings: Any, field: str) -> None:
    settings.RATELIMIT_ENABLE = False
    for value in HOSTILE:
        body = {**_valid_intake(category, world), field: value}
        # json.dumps escapes lone surrogates, as a hostile client would send them
        _safe(client.post("/gop-y/api/", json.dumps(body), content_type="application/json"), f"{field}={value!r}")


@pytest.mark.parametrize("field", ["service_code", "description", "lat", "long", "address_string", "first_name",
                                   "last_name", "phone", "email", "attribute[WARD]", "attribute[CONSENT]"])
def test_open311_post_fields(world: Any, category: Any, client: Client, settings: Any, field: str) -> None:
    settings.RATELIMIT_ENABLE = False
    _client, key = api_client()
    valid = {"api_key": key, "service_code": category.code, "description": "Cống tắc nhiều ngày",
             "lat": "16.8", "long": "107.1", "address_string": "Đông Hà"}
    for value in HOSTILE:
        if "\ud800" in value or "\udfff" in value:
            continue  # a form-encoded body cannot carry a lone surrogate (it is not UTF-8)
        _safe(client.post("/open311/v2/requests.json", {**valid, field: value}), f"{field}={value!r}")


PARAMETERS = {
    "/open311/v2/requests.json": ["service_request_id", "service_code", "start_date", "end_date", "status"],
    "/phan-anh/": ["ward", "category", "q", "page", "year"],
    "/tra-cuu/": ["code"],
    "/tim/": ["q", "page"],
}


@pytest.mark.parametrize("url", list(PARAMETERS))
def test_public_query_parameters(world: Any, category: Any, client: Client, settings: Any, url: str) -> None:
    settings.RATELIMIT_ENABLE = False
    for name in PARAMETERS[url]:
        for value in HOSTILE:
            if "\ud800" in value or "\udfff" in value or len(value) > 5000:
                continue
            _safe(client.get(url, {name: value}), f"{url}?{name}={value!r}")
        # raw bytes a browser would never send: an encoded surrogate and invalid UTF-8
        for raw in ("%ED%A0%80", "%FF%FE", "%C0%AF"):
            _safe(client.get(f"{url}?{name}={raw}"), f"{url}?{name}={raw}")

"""Issue 9: fifteen inputs a hostile tester found answering 500. Each answers 4xx with a clear message now, on
SQLite and PostgreSQL (the suite runs on both)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .factories import api_client

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
HUGE = "9" * 30
NESTED = "[" * 100_000 + "]" * 100_000


def _clear(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response.content  # a message, not an empty page


@pytest.mark.parametrize("url", ["/phan-anh/?ward=²", f"/phan-anh/?ward={HUGE}", "/phan-anh/?ward=-1"])
def test_public_answers_page_ignores_an_impossible_ward(world: Any, category: Any, client: Client, url: str) -> None:
    """The ward filter offers the listed wards only; any other value shows the unfiltered page (200), never 500."""
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [
    f"{BASE}/requests/².json",
    f"{BASE}/requests/{HUGE}.json",
    f"{BASE}/requests.json?service_request_id={HUGE}",
    f"{BASE}/requests.json?service_request_id=²",
    f"{BASE}/requests.json?start_date=2020-13-45T00:00:00Z",
    f"{BASE}/requests.json?start_date=9999-12-31T23:59:59-23:59",
    f"{BASE}/requests.json?end_date=0001-01-01T00:00:00%2B14:00",
    f"{BASE}/requests.xml?start_date=9999-12-31T23:59:59-23:59",
])
def test_anonymous_reads(world: Any, category: Any, client: Client, url: str) -> None:
    _clear(client.get(url))


def test_deeply_nested_json_to_the_public_intake(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/api/", NESTED, content_type="application/json")
    _clear(response)


def test_nul_byte_in_a_description(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/api/", {"category": category.pk, "description": "Đèn đường hỏng\x00 từ lâu",
                                           "address": "Số 1\x00"}, content_type="application/json")
    assert response.status_code in (201, 400), response.content[:300]
    _key_client, key = api_client()
    response = client.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "trat-tu-do-thi",
                                                     "description": "Cống tắc\x00 nhiều ngày",
                                                     "address_string": "Đông Hà"})
    assert response.status_code in (201, 400), response.content[:300]


@pytest.mark.parametrize("fields", [
    {"lat": "NaN", "long": "107.1"},
    {"lat": "16.8", "long": "inf"},
    {"address_string": "Đông Hà", "attribute[WARD]": "²"},
    {"address_string": "Đông Hà", "attribute[WARD]": HUGE},
])
def test_open311_post_with_a_key(world: Any, category: Any, client: Client, fields: dict[str, str]) -> None:
    _key_client, key = api_client()
    response = client.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "trat-tu-do-thi",
                                                     "description": "Lấn chiếm vỉa hè nhiều ngày", **fields})
    _clear(response)


@pytest.mark.parametrize("url", ["/api/dialogues/?year=0", "/api/dialogues/?year=99999999999999999999",
                                 "/api/plans/?theme=-1.79e308", f"/api/plans/?theme={HUGE}",
                                 "/api/plan-tasks/?theme=NaN", "/api/plans/?year=-5"])
def test_signed_in_api_reads(world: Any, client: Client, url: str) -> None:
    client.force_login(world.user("admin"))
    _clear(client.get(url))


def test_deeply_nested_json_to_a_drf_endpoint(world: Any, client: Client) -> None:
    client.force_login(world.user("admin"))
    _clear(client.post("/api/plans/", NESTED, content_type="application/json"))


@pytest.mark.parametrize("url", [f"{BASE}/requests.json?service_code=a%00b", f"{BASE}/requests.json?status=%00",
                                 "/phan-anh/?q=%00"])
def test_nul_in_a_query_parameter(world: Any, category: Any, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400 and response.content

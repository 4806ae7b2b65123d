"""Issue 9: one limit covers every way of testing a tracking code (GET, HEAD, the Open311 token resource, the
reopen and rating forms), and it is checked before the code is."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(world: Any, category: Any, settings: Any) -> Any:
    settings.DIALOGUES_LOOKUP_RATE = "3/m"
    return IssueFactory(category=category)


def _probes(issue: Any) -> list[tuple[str, str, str]]:
    code = issue.display_code
    return [("get", f"/tra-cuu/{code}/", ""), ("head", f"/tra-cuu/{code}/", ""),
            ("get", f"/open311/v2/tokens/{code}.json", ""), ("post", f"/tra-cuu/{code}/danh-gia/", "rating"),
            ("post", f"/tra-cuu/{code}/mo-lai/", "reason")]


@pytest.mark.parametrize("way", range(5))
def test_every_way_of_testing_a_code_shares_one_limit(client: Client, issue: Any, way: int) -> None:
    method, url, field = _probes(issue)[way]
    for _attempt in range(3):
        client.head("/tra-cuu/KHONG-CO-MA/")  # three guesses by HEAD use the whole allowance
    response = getattr(client, method)(url, {field: "5"} if field else None)
    assert response.status_code == 429


def test_the_limit_comes_before_the_code_is_checked(client: Client, issue: Any) -> None:
    for _attempt in range(3):
        client.get("/open311/v2/tokens/SAI-MA.json")
    assert client.post("/tra-cuu/SAI-MA/danh-gia/", {"rating": "5"}).status_code == 429  # not a 404 that says
    assert client.head("/tra-cuu/SAI-MA/").status_code == 429

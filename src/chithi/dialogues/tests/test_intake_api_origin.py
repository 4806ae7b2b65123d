"""Issue 9: /gop-y/api/ takes JSON only, and a browser's cross-site post (its Origin names another site) is
refused, so a hostile page cannot make its visitors file issues."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chithi.dialogues.models import Issue

pytestmark = pytest.mark.django_db


def _body(category: Any) -> str:
    return json.dumps({"category": category.code, "description": "Đèn đường hỏng nhiều ngày ở tổ 3"})


def test_text_plain_from_another_site_is_refused(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/api/", _body(category), content_type="text/plain",
                           headers={"origin": "https://evil.example"})
    assert response.status_code in (403, 415)
    assert not Issue.objects.exists()


def test_text_plain_is_refused_even_without_origin(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/api/", _body(category), content_type="text/plain")
    assert response.status_code == 415 and "application/json" in response.json()["errors"]["__all__"][0]
    assert not Issue.objects.exists()


def test_json_from_another_origin_is_refused(world: Any, category: Any, client: Client) -> None:
    response = client.post("/gop-y/api/", _body(category), content_type="application/json",
                           headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert not Issue.objects.exists()


@pytest.mark.parametrize("origin", [None, "http://testserver"])
def test_json_from_an_app_or_our_own_pages_is_taken(world: Any, category: Any, client: Client,
                                                    origin: str | None) -> None:
    headers = {"origin": origin} if origin else {}
    response = client.post("/gop-y/api/", _body(category), content_type="application/json; charset=utf-8",
                           headers=headers)
    assert response.status_code == 201, response.content

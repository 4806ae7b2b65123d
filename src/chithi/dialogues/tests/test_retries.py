"""A citizen's retry is the same submission (decisions.md, issue 9's kill -9 runs): the form carries a key made
when it is shown, apps send an Idempotency-Key, and a second request with the key gets the first issue back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from chithi.dialogues import services
from chithi.dialogues.models import Issue, IssueChannel

pytestmark = pytest.mark.django_db

KEY = "3f2b6c0e9a7d4e51b8c2d6f0a1e3b5c7"


def _form(category: Any, **extra: Any) -> dict[str, Any]:
    return {"category": category.pk, "description": "Rác thải đổ trộm ở bãi đất trống cạnh chợ",
            "address": "", "reporter_name": "", "reporter_contact": "", "website": "", **extra}


def test_the_form_carries_a_fresh_key_each_time_it_is_shown(world: Any, category: Any, client: Client) -> None:
    keys = [re.search(r'name="submission_key" value="([0-9a-f]{32})"', client.get("/gop-y/").content.decode())
            for _ in range(2)]
    assert all(keys) and keys[0].group(1) != keys[1].group(1)  # type: ignore[union-attr]


def test_sending_the_form_twice_files_one_issue(world: Any, category: Any, client: Client) -> None:
    first = client.post("/gop-y/", _form(category, submission_key=KEY))
    again = client.post("/gop-y/", _form(category, submission_key=KEY))
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Issue.objects.filter(submission_key=KEY).count() == 1


def test_the_same_key_with_other_text_says_where_the_first_went(world: Any, category: Any, client: Client) -> None:
    client.post("/gop-y/", _form(category, submission_key=KEY))
    stored = Issue.objects.get(submission_key=KEY)
    page = client.post("/gop-y/", _form(category, submission_key=KEY, description="Một phản ánh hoàn toàn khác"))
    assert page.status_code == 400
    text = page.content.decode()
    assert stored.display_code in text
    new_key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', text)
    assert new_key and new_key.group(1) != KEY  # sending again files the new text
    assert Issue.objects.count() == 1
    assert client.post("/gop-y/", _form(category, submission_key=new_key.group(1),
                                        description="Một phản ánh hoàn toàn khác")).status_code == 302
    assert Issue.objects.count() == 2


def test_an_app_retry_with_an_idempotency_key_gets_the_first_code(world: Any, category: Any, client: Client) -> None:
    body = {"category": category.code, "description": "Vỉa hè bị lấn chiếm buôn bán"}
    first = client.post("/gop-y/api/", body, content_type="application/json", headers={"Idempotency-Key": KEY})
    again = client.post("/gop-y/api/", body, content_type="application/json", headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 201
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert Issue.objects.count() == 1


def test_an_app_reusing_a_key_for_other_content_gets_a_conflict(world: Any, category: Any, client: Client) -> None:
    body = {"category": category.code, "description": "Vỉa hè bị lấn chiếm buôn bán", "submission_key": KEY}
    assert client.post("/gop-y/api/", body, content_type="application/json").status_code == 201
    other = client.post("/gop-y/api/", {**body, "description": "Đèn đường hỏng cả tuần nay"},
                        content_type="application/json")
    assert other.status_code == 409 and "submission_key" in other.json()["errors"]
    assert Issue.objects.count() == 1


@pytest.mark.parametrize("key", ["short", "x" * 65, "có dấu và khoảng trắng"])
def test_a_malformed_key_is_refused_clearly(world: Any, category: Any, key: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.submit_issue(actor=None, channel=IssueChannel.WEB, category=category,
                              description="Vỉa hè bị lấn chiếm buôn bán", submission_key=key)
    assert "submission_key" in refused.value.message_dict
    assert not Issue.objects.exists()


def test_the_database_refuses_a_second_issue_with_one_key(world: Any, category: Any) -> None:
    """The guard under a race: two requests with one key at once cannot both insert."""
    from django.db import IntegrityError, transaction

    services.submit_issue(actor=None, channel=IssueChannel.WEB, category=category,
                          description="Vỉa hè bị lấn chiếm buôn bán", submission_key=KEY)
    other = services.submit_issue(actor=None, channel=IssueChannel.WEB, category=category,
                                  description="Đèn đường hỏng cả tuần nay")
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=other.pk).update(submission_key=KEY)

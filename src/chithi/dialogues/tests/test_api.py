"""The internal API: scope per role and the workflow steps as POST actions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from chithi.dialogues import services
from chithi.dialogues.models import Issue, IssueStatus

from .factories import DialogueFactory, IssueFactory

pytestmark = pytest.mark.django_db


def _api(world: Any, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(name))
    return client


def test_issue_list_and_detail_are_scoped(world: Any, category: Any) -> None:
    issue = services.assign_issue(actor=world.user("admin"), issue=IssueFactory(category=category),
                                  unit=world.ward_a)
    mine = _api(world, "secretary").get("/api/issues/").json()
    assert [row["id"] for row in mine["results"]] == [issue.pk]
    assert _api(world, "other_secretary").get("/api/issues/").json()["results"] == []
    assert _api(world, "other_secretary").get(f"/api/issues/{issue.pk}/").status_code == 404
    detail = _api(world, "secretary").get(f"/api/issues/{issue.pk}/").json()
    assert [e["kind"] for e in detail["events"]] == ["received", "accepted", "assigned"]
    assert APIClient().get("/api/issues/").status_code in (401, 403)


def test_workflow_steps_through_the_api(world: Any, category: Any) -> None:
    issue = services.assign_issue(actor=world.user("admin"), issue=IssueFactory(category=category),
                                  unit=world.ward_a)
    api = _api(world, "secretary")
    assert api.post(f"/api/issues/{issue.pk}/start/", {}).status_code == 200
    bad = api.post(f"/api/issues/{issue.pk}/answer/", {"answer": ""})
    assert bad.status_code == 400 and "answer" in bad.json()
    ok = api.post(f"/api/issues/{issue.pk}/answer/", {"answer": "Đã giải quyết"})
    assert ok.status_code == 200 and ok.json()["status"] == IssueStatus.ANSWERED
    assert _api(world, "viewer").post(f"/api/issues/{issue.pk}/close/", {}).status_code == 404
    wrong = api.post(f"/api/issues/{issue.pk}/start/", {})
    assert wrong.status_code == 400 and "status" in wrong.json()


def test_create_issue_and_dialogue_in_scope_only(world: Any, category: Any) -> None:
    api = _api(world, "staff")
    created = api.post("/api/issues/", {"channel": "visit", "organisation": world.cell_a1.pk,
                                        "category": category.pk, "description": "Hộ dân kiến nghị sửa đường"})
    assert created.status_code == 201
    assert Issue.objects.get(pk=created.json()["id"]).organisation == world.cell_a1
    outside = api.post("/api/issues/", {"channel": "visit", "organisation": world.ward_b.pk,
                                        "category": category.pk, "description": "Hộ dân kiến nghị sửa đường"})
    assert outside.status_code == 400 and "organisation" in outside.json()
    dialogue = api.post("/api/dialogues/", {"organisation": world.ward_a.pk, "title": "Đối thoại",
                                            "held_on": "2020-05-05", "participants_count": 30}, format="json")
    assert dialogue.status_code == 201
    other = DialogueFactory(organisation=world.ward_b)
    assert api.get(f"/api/dialogues/{other.pk}/").status_code == 404
    assert api.get("/api/issue-categories/").status_code == 200

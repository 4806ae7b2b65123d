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


def test_unit_filter_keeps_the_subtree_and_an_unseen_unit_reads_like_an_unknown_one(world: Any,
                                                                                    category: Any) -> None:
    in_a = services.assign_issue(actor=world.user("admin"), issue=IssueFactory(category=category),
                                 unit=world.cell_a1)
    services.assign_issue(actor=world.user("admin"), issue=IssueFactory(category=category), unit=world.ward_b)
    rows = _api(world, "admin").get("/api/issues/", {"unit": world.ward_a.pk}).json()["results"]
    assert [row["id"] for row in rows] == [in_a.pk]
    other = _api(world, "other_secretary")
    unseen = other.get("/api/issues/", {"unit": world.ward_a.pk})
    unknown = other.get("/api/issues/", {"unit": 999999})
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["unit"] == [m.replace("999999", str(world.ward_a.pk)) for m in unknown.json()["unit"]]


def test_related_ids_outside_scope_read_like_unknown_ones(world: Any, category: Any) -> None:
    api = _api(world, "secretary")
    body = {"organisation": world.ward_a.pk, "title": "Đối thoại", "held_on": "2020-05-05"}
    foreign = api.post("/api/dialogues/", {**body, "leaders": [world.person_b1.pk]}, format="json")
    unknown = api.post("/api/dialogues/", {**body, "leaders": [999999]}, format="json")
    assert foreign.status_code == unknown.status_code == 400
    expected = [m.replace("999999", str(world.person_b1.pk)) for m in unknown.json()["leaders"]]
    assert foreign.json()["leaders"] == expected
    other_dialogue = DialogueFactory(organisation=world.ward_b)
    issue = api.post("/api/issues/", {"channel": "dialogue", "organisation": world.ward_a.pk, "category": category.pk,
                                      "description": "Kiến nghị tại buổi đối thoại", "dialogue": other_dialogue.pk})
    assert issue.status_code == 400 and "dialogue" in issue.json()
    assert not Issue.objects.exists()


def test_merge_by_code_and_an_unseen_original_reads_like_an_unknown_code(world: Any, category: Any) -> None:
    admin = world.user("admin")
    issue = services.assign_issue(actor=admin, issue=IssueFactory(category=category), unit=world.ward_a)
    mine = services.assign_issue(actor=admin, issue=IssueFactory(category=category), unit=world.ward_a)
    theirs = services.assign_issue(actor=admin, issue=IssueFactory(category=category), unit=world.ward_b)
    api = _api(world, "secretary")
    unseen = api.post(f"/api/issues/{issue.pk}/merge/", {"duplicate_of": theirs.display_code})
    unknown = api.post(f"/api/issues/{issue.pk}/merge/", {"duplicate_of": "ZZZZZ-ZZZZZ"})
    assert unseen.status_code == unknown.status_code == 400 and unseen.json() == unknown.json()
    merged = api.post(f"/api/issues/{issue.pk}/merge/", {"duplicate_of": mine.tracking_code.lower()})
    assert merged.status_code == 200 and merged.json()["duplicate_of"] == mine.pk
    assert merged.json()["actions"] == []

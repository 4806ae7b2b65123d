"""API: the same scope as the pages (outside is 404), bad input answered 400 with the field, writes through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from chithi.campaigns import services
from chithi.campaigns.models import Plan, PlanTask


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def cascaded(world: Any, campaign: Any) -> dict[str, Plan]:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    return {"a": Plan.objects.get(organisation=world.ward_a), "b": Plan.objects.get(organisation=world.ward_b)}


def test_anonymous_gets_401_or_403(world: Any, campaign: Any) -> None:
    assert APIClient().get("/api/plans/").status_code in (401, 403)
    assert APIClient().get("/api/rollup/").status_code in (401, 403)


def test_plan_list_is_scoped_and_carries_progress(world: Any, cascaded: dict[str, Plan]) -> None:
    task = cascaded["a"].tasks.get(weight=2)
    services.report_progress(actor=world.user("secretary"), task=task, progress=100)
    data = _api(world.user("secretary")).get("/api/plans/").json()
    assert [p["id"] for p in data["results"]] == [cascaded["a"].pk]
    assert data["results"][0]["progress"] == 50.0 and data["results"][0]["task_count"] == 3


@pytest.mark.parametrize(("endpoint", "key"), [("plans", "b"), ("plan-tasks", "task_b")])
def test_object_outside_scope_is_404(world: Any, cascaded: dict[str, Plan], endpoint: str, key: str) -> None:
    obj = cascaded["b"] if key == "b" else cascaded["b"].tasks.first()
    assert obj is not None
    client = _api(world.user("secretary"))
    assert client.get(f"/api/{endpoint}/{obj.pk}/").status_code == 404
    assert _api(world.user("other_secretary")).get(f"/api/{endpoint}/{obj.pk}/").status_code == 200


def test_directives_and_themes_read_upward_but_not_sideways(world: Any, campaign: Any) -> None:
    client = _api(world.user("cell_secretary"))
    assert [d["number"] for d in client.get("/api/directives/").json()["results"]] == ["05-CT/TW"]
    assert len(client.get("/api/themes/").json()["results"]) == 1
    # Reading upward never grants editing upward.
    response = client.patch(f"/api/themes/{campaign.theme.pk}/", {"text": "Sửa"}, format="json")
    assert response.status_code == 404
    assert _api(world.user("nobody")).get("/api/directives/").json()["results"] == []


def test_create_task_with_bad_input_answers_400_naming_the_field(world: Any, cascaded: dict[str, Plan]) -> None:
    client = _api(world.user("secretary"))
    base = {"plan": cascaded["a"].pk, "title": "Đối thoại với Nhân dân"}
    response = client.post("/api/plan-tasks/", {**base, "deadline": "2025-12-01"}, format="json")
    assert response.status_code == 400 and "deadline" in response.json()
    response = client.post("/api/plan-tasks/", {**base, "deadline": "2026-05-04", "weight": "-1"}, format="json")
    assert response.status_code == 400 and "weight" in response.json()
    response = client.post("/api/plan-tasks/", {**base, "deadline": "2026-05-04",
                                                "owner_units": [world.cell_b1.pk]}, format="json")
    assert response.status_code == 400 and "owner_units" in response.json()
    response = client.post("/api/plan-tasks/", {**base, "deadline_working_days": 10}, format="json")
    assert response.status_code == 201, response.json()
    # A plan outside the scope reads as not existing.
    response = client.post("/api/plan-tasks/", {**base, "plan": cascaded["b"].pk, "deadline": "2026-05-04"},
                           format="json")
    assert response.status_code == 400 and "plan" in response.json()


def test_progress_endpoint(world: Any, cascaded: dict[str, Plan]) -> None:
    task = cascaded["a"].tasks.first()
    assert task is not None
    client = _api(world.user("staff"))
    response = client.post(f"/api/plan-tasks/{task.pk}/progress/", {"progress": 120}, format="json")
    assert response.status_code == 400 and "progress" in response.json()
    response = client.post(f"/api/plan-tasks/{task.pk}/progress/", {"progress": 70, "note": "Tốt"}, format="json")
    assert response.status_code == 201 and response.json()["progress"] == 70
    assert client.get(f"/api/plan-tasks/{task.pk}/timeline/").json()[0]["note"] == "Tốt"
    other = cascaded["b"].tasks.first()
    assert other is not None
    assert client.post(f"/api/plan-tasks/{other.pk}/progress/", {"progress": 70}, format="json").status_code == 404
    assert _api(world.user("viewer")).post(f"/api/plan-tasks/{task.pk}/progress/", {"progress": 5},
                                           format="json").status_code == 404


def test_cascade_endpoint_is_idempotent_and_refuses_outside_scope(world: Any, campaign: Any) -> None:
    client = _api(world.user("admin"))
    first = client.post(f"/api/plans/{campaign.plan.pk}/cascade/", {"units": [world.ward_a.pk]}, format="json")
    assert first.status_code == 200 and first.json()["tasks_created"] == 3
    second = client.post(f"/api/plans/{campaign.plan.pk}/cascade/", {"units": [world.ward_a.pk]}, format="json")
    assert second.json() == {"plans_created": [], "plans_existing": first.json()["plans_created"],
                             "tasks_created": 0, "tasks_existing": 3}
    assert _api(world.user("secretary")).post(f"/api/plans/{campaign.plan.pk}/cascade/", {},
                                              format="json").status_code == 404


def test_rollup_endpoint(world: Any, cascaded: dict[str, Plan]) -> None:
    data = _api(world.user("secretary")).get("/api/rollup/", {"year": 2026}).json()
    assert {row["name"] for row in data["results"]} == {"Đảng ủy phường Đông Thanh", "Chi bộ Khu phố 1",
                                                       "Chi bộ Khu phố 2"}
    ward = data["results"][0]
    assert ward["plans"] == 1 and ward["tasks"] == 3 and ward["progress"] == 0.0
    assert _api(world.user("secretary")).get("/api/rollup/", {"unit": world.ward_b.pk}).status_code == 404
    assert _api(world.user("secretary")).get("/api/rollup/", {"year": "abc"}).status_code == 400
    top = _api(world.user("leader")).get("/api/rollup/", {"year": 2026, "depth": 1}).json()["results"]
    assert [row["depth"] for row in top] == [0, 1, 1, 1]


def test_create_plan_and_theme_through_api(world: Any, campaign: Any) -> None:
    client = _api(world.user("secretary"))
    response = client.post("/api/plans/", {"organisation": world.ward_a.pk, "theme": campaign.theme.pk,
                                           "title": "Kế hoạch của phường"}, format="json")
    assert response.status_code == 201, response.json()
    response = client.post("/api/plans/", {"organisation": world.ward_a.pk, "theme": campaign.theme.pk,
                                           "title": "Lần hai"}, format="json")
    assert response.status_code == 400 and "theme" in response.json()
    response = client.post("/api/themes/", {"organisation": world.ward_b.pk, "year": 2026, "kind": "theme",
                                            "directive": campaign.directive.pk, "text": "Chủ đề"}, format="json")
    assert response.status_code == 400 and "organisation" in response.json()
    assert PlanTask.objects.filter(plan__organisation=world.ward_b).count() == 0


def test_the_unit_filter_keeps_a_subtree_and_an_id_outside_scope_reads_as_unknown(
        world: Any, cascaded: dict[str, Plan]) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=cascaded["a"])
    client = _api(world.user("leader"))
    plans = client.get("/api/plans/", {"unit": world.ward_a.pk}).json()["results"]
    assert {p["organisation"] for p in plans} == {world.ward_a.pk, world.cell_a1.pk, world.cell_a2.pk}
    tasks = client.get("/api/plan-tasks/", {"unit": world.cell_a1.pk}).json()["results"]
    assert tasks and {t["organisation"] for t in tasks} == {world.cell_a1.pk}
    secretary = _api(world.user("secretary"))
    outside = secretary.get("/api/plans/", {"unit": world.ward_b.pk})
    nowhere = secretary.get("/api/plans/", {"unit": 999999})
    assert outside.status_code == nowhere.status_code == 400
    assert outside.json()["unit"] == [m.replace("999999", str(world.ward_b.pk)) for m in nowhere.json()["unit"]]


def test_related_ids_outside_scope_read_like_ids_that_do_not_exist(world: Any, cascaded: dict[str, Plan]) -> None:
    client = _api(world.user("secretary"))
    base = {"plan": cascaded["a"].pk, "title": "Việc", "deadline": "2026-05-04"}
    outside = client.post("/api/plan-tasks/", {**base, "owner_units": [world.ward_b.pk]}, format="json").json()
    missing = client.post("/api/plan-tasks/", {**base, "owner_units": [999999]}, format="json").json()
    assert outside["owner_units"] == [m.replace("999999", str(world.ward_b.pk)) for m in missing["owner_units"]]
    assert "Đông Lễ" not in str(outside)  # the unit's name is never shown to someone outside it
    other_plan = client.post("/api/plan-tasks/", {**base, "plan": cascaded["b"].pk}, format="json")
    assert other_plan.status_code == 400 and "plan" in other_plan.json()
    moved = client.patch(f"/api/plan-tasks/{cascaded['a'].tasks.first().pk}/", {"plan": cascaded["b"].pk},  # type: ignore[union-attr]
                         format="json")
    assert moved.status_code == 400 and "plan" in moved.json()


def test_a_deadline_only_patch_passes_when_a_person_in_charge_has_since_left(world: Any, campaign: Any) -> None:
    from chithi.orgs import services as org_services
    from chithi.orgs.tests.factories import superuser

    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc",
                                deadline=dt.date(2026, 9, 1), owner_people=[world.person_a1])
    for membership in world.person_a1.memberships.filter(until__isnull=True):
        org_services.end_membership(actor=superuser(), membership=membership, until=dt.date(2026, 6, 1))
    response = _api(world.user("admin")).patch(f"/api/plan-tasks/{task.pk}/", {"deadline": "2026-09-15"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] == "2026-09-15" and response.json()["owner_people"] == [world.person_a1.pk]

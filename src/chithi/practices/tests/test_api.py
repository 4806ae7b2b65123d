"""API: scope per endpoint and role, writes through services with field errors, the public read-only API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from chithi.practices.models import Practice, Replication, Result

from .factories import CommendationFactory, IndicatorFactory, PracticeFactory, ReplicationFactory, ResultFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def data(world):
    a = PracticeFactory(name="Tổ tự quản ANTT", organisation=world.cell_a1, public_names="")
    b = PracticeFactory(name="Quỹ giúp nhau", organisation=world.cell_b1)
    indicator_a = IndicatorFactory(practice=a, name="Buổi tuần tra")
    indicator_b = IndicatorFactory(practice=b, name="Dư nợ")
    ResultFactory(indicator=indicator_a)
    ResultFactory(indicator=indicator_b)
    CommendationFactory(practice=a)
    CommendationFactory(practice=b)
    replication_b = ReplicationFactory(origin=b, organisation=world.ward_b)
    return {"a": a, "b": b, "indicator_a": indicator_a, "indicator_b": indicator_b, "replication_b": replication_b}


@pytest.mark.parametrize(("endpoint", "key"), [
    ("practices", "a"), ("practice-indicators", "indicator_a"),
])
@pytest.mark.parametrize(("username", "sees_a", "sees_b"), [
    ("secretary", True, False), ("other_secretary", False, True), ("viewer", True, True), ("nobody", False, False),
])
def test_lists_and_details_are_scoped(api, world, data, endpoint, key, username, sees_a, sees_b):
    api.force_authenticate(world.user(username))
    names = {row["name"] for row in api.get(f"/api/{endpoint}/").json()["results"]}
    assert (data[key].name in names) is sees_a
    b_key = key.replace("_a", "_b") if key != "a" else "b"
    assert (data[b_key].name in names) is sees_b
    assert api.get(f"/api/{endpoint}/{data[key].pk}/").status_code == (200 if sees_a else 404)


@pytest.mark.parametrize("endpoint", ["practice-results", "practice-commendations"])
def test_results_and_commendations_are_scoped(api, world, data, endpoint):
    api.force_authenticate(world.user("secretary"))
    rows = api.get(f"/api/{endpoint}/").json()["results"]
    assert len(rows) == 1 and rows[0]["practice"] == data["a"].pk


def test_replications_are_scoped_by_either_side(api, world, data):
    api.force_authenticate(world.user("secretary"))
    assert api.get("/api/practice-replications/").json()["count"] == 0
    assert api.get(f"/api/practice-replications/{data['replication_b'].pk}/").status_code == 404
    api.force_authenticate(world.user("other_secretary"))
    assert api.get("/api/practice-replications/").json()["count"] == 1


def test_anonymous_gets_nothing_internal(api, data):
    assert api.get("/api/practices/").status_code in (401, 403)


def test_create_practice_and_duplicate(api, world):
    api.force_authenticate(world.user("secretary"))
    payload = {"name": "Cột điện nở hoa", "organisation": world.cell_a1.pk, "fields": ["culture", "environment"],
               "started_on": "2019-03-26", "status": "running", "is_public": True}
    response = api.post("/api/practices/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["fields"] == ["culture", "environment"]
    response = api.post("/api/practices/", {**payload, "name": "COT DIEN NO HOA"}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    response = api.post("/api/practices/", {**payload, "organisation": world.cell_b1.pk}, format="json")
    assert response.status_code == 400 and "organisation" in response.json()
    assert Practice.objects.count() == 1


def test_update_out_of_scope_is_404(api, world, data):
    api.force_authenticate(world.user("secretary"))
    assert api.patch(f"/api/practices/{data['b'].pk}/", {"description": "x"}, format="json").status_code == 404
    response = api.patch(f"/api/practices/{data['a'].pk}/", {"description": "Mới"}, format="json")
    assert response.status_code == 200 and response.json()["description"] == "Mới"
    api.force_authenticate(world.user("viewer"))
    assert api.patch(f"/api/practices/{data['a'].pk}/", {"description": "y"}, format="json").status_code == 404


def test_record_result_via_api(api, world, data):
    api.force_authenticate(world.user("secretary"))
    response = api.post("/api/practice-results/", {"indicator": data["indicator_a"].pk, "period_start": "2019-01-01",
                                                   "period_end": "2019-06-30", "actual": "5"}, format="json")
    assert response.status_code == 400 and "period_start" in response.json()  # the practice started in 2020
    response = api.post("/api/practice-results/", {"indicator": data["indicator_b"].pk, "period_start": "2024-07-01",
                                                   "period_end": "2024-12-31", "actual": "5"}, format="json")
    assert response.status_code == 400 and "indicator" in response.json()
    response = api.post("/api/practice-results/", {"indicator": data["indicator_a"].pk, "period_start": "2024-07-01",
                                                   "period_end": "2024-12-31", "actual": "12.5"}, format="json")
    assert response.status_code == 201
    assert Result.objects.filter(indicator=data["indicator_a"]).count() == 2


@pytest.mark.parametrize(("username", "sees"), [
    ("secretary", True), ("other_secretary", True), ("cell_secretary", True), ("nobody", False),
])
def test_a_replication_is_seen_from_its_origin_and_from_its_adopting_unit(api, world, username, sees):
    # a's practice (ward A) spread to ward B's cell: both wards' secretaries see the link, each from its side.
    origin = PracticeFactory(name="Tổ tự quản ANTT", organisation=world.cell_a1)
    replication = ReplicationFactory(origin=origin, organisation=world.cell_b1)
    api.force_authenticate(world.user(username))
    ids = {row["id"] for row in api.get("/api/practice-replications/").json()["results"]}
    assert (replication.pk in ids) is sees


def test_replicate_via_api(api, world, data):
    api.force_authenticate(world.user("secretary"))
    response = api.post("/api/practice-replications/", {"origin": data["a"].pk, "organisation": world.cell_a1.pk,
                                                        "adopted_on": "2022-01-01"}, format="json")
    assert response.status_code == 400 and "organisation" in response.json()
    response = api.post("/api/practice-replications/", {"origin": data["a"].pk, "organisation": world.cell_a2.pk,
                                                        "adopted_on": "2022-01-01", "adaptation_notes": "Ghi chú"},
                        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["adopting_organisation"] == world.cell_a2.pk
    assert Replication.objects.filter(origin=data["a"]).count() == 1


def test_cycle_via_api_is_refused(api, world, data):
    api.force_authenticate(world.user("admin"))
    child = ReplicationFactory(origin=data["a"], organisation=world.cell_a2).adopting
    response = api.post("/api/practice-replications/", {"origin": child.pk, "adopting": data["a"].pk,
                                                        "adopted_on": "2023-01-01"}, format="json")
    assert response.status_code == 400 and "adopting" in response.json()


def test_commendation_via_api(api, world, data):
    api.force_authenticate(world.user("secretary"))
    payload = {"practice": data["a"].pk, "title": "Giấy khen", "level": "city", "awarded_on": "2023-05-19",
               "decision_number": "99-QĐ/TU"}
    assert api.post("/api/practice-commendations/", payload, format="json").status_code == 201
    response = api.post("/api/practice-commendations/", {**payload, "practice": data["b"].pk}, format="json")
    assert response.status_code == 400


def test_public_api_shows_public_practices_without_internal_data(api, world, data):
    public = PracticeFactory(name="Hũ gạo tình thương", organisation=world.agency, is_public=True,
                             public_names="Chi hội Phụ nữ khu phố 1")
    ResultFactory(indicator=IndicatorFactory(practice=public, name="Gạo quyên góp"), note="GHI CHÚ")
    response = api.get("/api/public/practices/", {"q": "hu gao"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["Hũ gạo tình thương"]
    row = rows[0]
    assert row["published_names"] == ["Chi hội Phụ nữ khu phố 1"]
    assert set(row) == {"id", "name", "unit", "fields", "description", "started_on", "status", "reach",
                        "published_names", "indicators", "photos"}
    assert "GHI CHÚ" not in response.content.decode()
    assert api.get(f"/api/public/practices/{data['a'].pk}/").status_code == 404
    assert api.post("/api/public/practices/", {"name": "x"}, format="json").status_code in (401, 403, 405)


def test_schema_builds(api, world):
    api.force_authenticate(world.user("admin"))
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/public/practices/" in response.content


def test_evidence_links_via_api(api, world, data):
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    task_a = PlanTaskFactory(plan=PlanFactory(organisation=world.ward_a))
    task_b = PlanTaskFactory(plan=PlanFactory(organisation=world.ward_b))
    api.force_authenticate(world.user("secretary"))
    payload = {"practice": data["a"].pk, "target_type": "campaigns.plantask", "target_id": task_a.pk,
               "note": "Minh chứng nhiệm vụ"}
    response = api.post("/api/practice-evidence/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["target_type"] == "campaigns.plantask"
    rows = api.get("/api/practice-evidence/", {"target_type": "campaigns.plantask", "target_id": task_a.pk})
    assert rows.json()["count"] == 1
    # A target outside the caller's scope reads exactly like a missing one.
    outside = api.post("/api/practice-evidence/", {**payload, "target_id": task_b.pk}, format="json")
    missing = api.post("/api/practice-evidence/", {**payload, "target_id": 999999}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert api.post("/api/practice-evidence/", {**payload, "target_type": "nope.nothing"},
                    format="json").status_code == 400
    api.force_authenticate(world.user("other_secretary"))
    assert api.get("/api/practice-evidence/").json()["count"] == 0


@pytest.mark.parametrize("target_type", ["core.notification", "core.user", "orgs.orgparentperiod",
                                         "orgs.organisation"])
def test_evidence_links_only_to_kinds_a_room_declares_linkable(api, world, data, target_type):
    """Issue 9: any model was accepted (a user, a notification…); now only RoomConfig.linkable kinds, and an
    undeclared kind reads exactly like a record that does not exist."""
    from django.apps import apps

    from chithi.core.models import Notification
    from chithi.practices.models import EvidenceLink

    Notification.objects.create(user=world.user("secretary"), title="Mã tra cứu PA-1234")
    target = apps.get_model(target_type).objects.order_by("pk").first()
    api.force_authenticate(world.user("admin"))
    response = api.post("/api/practice-evidence/", {"practice": data["a"].pk, "target_type": target_type,
                                                    "target_id": target.pk}, format="json")
    missing = api.post("/api/practice-evidence/", {"practice": data["a"].pk, "target_type": "campaigns.plantask",
                                                   "target_id": 999999}, format="json")
    assert response.status_code == 400
    assert response.json() == missing.json()
    assert not EvidenceLink.objects.exists()

"""Issue 9: an id outside the caller's scope answers exactly like an id that does not exist, and no validation
message names an object the caller could not pick."""

from __future__ import annotations

import re

import pytest

from chithi.campaigns.tests.factories import PlanFactory
from chithi.core.permissions import Role
from chithi.orgs import services as org_services
from chithi.orgs.tests.factories import UserFactory, superuser

MISSING = 987654


@pytest.fixture
def cell_secretary_viewing_city(world):
    """A cell's secretary who may also read the whole city (a common pair of roles)."""
    user = UserFactory(username="reader_writer")
    org_services.assign_role(actor=superuser(), user=user, organisation=world.city, role=Role.VIEWER)
    org_services.assign_role(actor=superuser(), user=user, organisation=world.cell_a1, role=Role.SECRETARY)
    return user


def _same_as_missing(response, missing_response, pk):
    assert response.status_code == missing_response.status_code == 400
    assert re.sub(rf"\b{pk}\b", "N", response.content.decode()) == \
        re.sub(rf"\b{MISSING}\b", "N", missing_response.content.decode())


@pytest.mark.parametrize("field", ["owner_people", "owner_units"])
def test_task_owners_outside_scope_read_like_missing_ids(client, world, cell_secretary_viewing_city, field):
    plan = PlanFactory(organisation=world.cell_a1)
    client.force_login(cell_secretary_viewing_city)
    outside = world.person_b1.pk if field == "owner_people" else world.ward_b.pk

    def post(pk):
        return client.post("/api/plan-tasks/", {"plan": plan.pk, "title": "Việc", "deadline": "2026-12-01",
                                                field: [pk]}, content_type="application/json")

    response = post(outside)
    assert world.person_b1.full_name not in response.content.decode()
    assert world.ward_b.name not in response.content.decode()
    _same_as_missing(response, post(MISSING), outside)


def test_cascade_units_outside_scope_read_like_missing_ids(client, world, cell_secretary_viewing_city):
    plan = PlanFactory(organisation=world.cell_a1)
    client.force_login(cell_secretary_viewing_city)

    def post(pk):
        return client.post(f"/api/plans/{plan.pk}/cascade/", {"units": [pk]}, content_type="application/json")

    response = post(world.ward_b.pk)
    assert world.ward_b.name not in response.content.decode()
    _same_as_missing(response, post(MISSING), world.ward_b.pk)

"""A unit in charge of a higher level's task, and whoever has a person in charge in their scope, may read the task,
its timeline and its evidence (the reminders send them there); acting on it stays with the plan's unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from chithi.campaigns import services
from chithi.campaigns.models import TaskEvidence, TaskUpdate
from chithi.core.permissions import restrict
from chithi.orgs.tests.factories import superuser


def _task(world: Any, **owners: Any) -> Any:
    task = services.create_task(actor=superuser(), plan=services.create_plan(
        actor=superuser(), organisation=world.city, theme=_theme(world), title="Kế hoạch của Thành ủy"),
        title="Tuyên truyền chủ đề năm", deadline=dt.date(2026, 12, 15), **owners)
    services.report_progress(actor=superuser(), task=task, progress=40, note="Đã in tài liệu")
    services.add_evidence(actor=superuser(), task=task, kind="note", note="Biên bản hội nghị")
    return task


def _theme(world: Any) -> Any:
    from chithi.campaigns.tests.factories import ThemeFactory

    return ThemeFactory(organisation=world.city, year=2026)


def test_the_ward_in_charge_reads_the_citys_task_and_a_neighbour_does_not(world: Any) -> None:
    task = _task(world, owner_units=[world.ward_a])
    client = Client()
    client.force_login(world.user("secretary"))
    page = client.get(task.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tuyên truyền chủ đề năm" in body and "Đã in tài liệu" in body and "Biên bản hội nghị" in body
    # The city's plan stays out of the ward's scope: named, not linked; no progress or evidence form.
    assert task.plan.get_absolute_url() not in body and 'name="progress"' not in body
    assert APIClient().get(f"/api/plan-tasks/{task.pk}/").status_code in (401, 403)
    api = APIClient()
    api.force_authenticate(world.user("secretary"))
    assert api.get(f"/api/plan-tasks/{task.pk}/").status_code == 200
    assert api.get(f"/api/plans/{task.plan_id}/").status_code == 404
    assert restrict(TaskUpdate.objects.filter(task=task), world.user("secretary")).count() == 1
    assert restrict(TaskEvidence.objects.filter(task=task), world.user("secretary")).count() == 1
    # Reading only: a progress report posted by hand changes nothing.
    client.post(f"/nhiem-vu/{task.pk}/tien-do/", {"progress": "90"})
    task.refresh_from_db()
    assert task.progress == 40
    neighbour = Client()
    neighbour.force_login(world.user("other_secretary"))
    assert neighbour.get(task.get_absolute_url()).status_code == 404
    api.force_authenticate(world.user("other_secretary"))
    assert api.get(f"/api/plan-tasks/{task.pk}/").status_code == 404


def test_a_person_in_charge_is_read_by_their_cells_secretary(world: Any) -> None:
    task = _task(world, owner_people=[world.person_a1])
    client = Client()
    client.force_login(world.user("cell_secretary"))
    assert client.get(task.get_absolute_url()).status_code == 200
    client.force_login(world.user("other_secretary"))
    assert client.get(task.get_absolute_url()).status_code == 404

"""A practice offered as evidence for a plan task, from the task's page (campaigns room)."""

from __future__ import annotations

import pytest

from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory
from chithi.core.models import AuditEntry
from chithi.practices.models import EvidenceLink
from chithi.practices.tests.factories import PracticeFactory


@pytest.fixture
def task_and_practice(world):
    task = PlanTaskFactory(plan=PlanFactory(organisation=world.ward_a), title="Nhân rộng mô hình tự quản")
    practice = PracticeFactory(name="Hũ gạo tình thương", organisation=world.cell_a1)
    return task, practice


def test_link_from_the_task_page_and_see_it_there(client, world, task_and_practice):
    task, practice = task_and_practice
    client.force_login(world.user("secretary"))
    page = client.get(task.get_absolute_url()).content.decode()
    assert "practice-evidence" in page and f'value="{practice.pk}"' in page
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {
        "practice": practice.pk, "target_type": "campaigns.plantask", "target_id": task.pk,
        "note": "Kết quả quý III", "next": task.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    link = EvidenceLink.objects.get(practice=practice)
    assert link.target_id == task.pk
    assert AuditEntry.objects.filter(action="create", object_id=str(link.pk)).exists()
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Hũ gạo tình thương" in page and "Kết quả quý III" in page
    # linking twice is refused with a message, nothing duplicated
    client.post("/mo-hinh/bang-chung/lien-ket/", {"practice": practice.pk, "target_type": "campaigns.plantask",
                                                  "target_id": task.pk})
    assert EvidenceLink.objects.filter(practice=practice).count() == 1
    # and it can be removed
    client.post(f"/mo-hinh/bang-chung/{link.pk}/go/", {"next": task.get_absolute_url()})
    assert not EvidenceLink.objects.filter(practice=practice).exists()


def test_outside_scope_is_404_and_writes_nothing(client, world, task_and_practice):
    task, practice = task_and_practice
    client.force_login(world.user("other_secretary"))
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {
        "practice": practice.pk, "target_type": "campaigns.plantask", "target_id": task.pk})
    assert response.status_code == 404
    client.force_login(world.user("viewer"))  # sees both, may change neither
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {
        "practice": practice.pk, "target_type": "campaigns.plantask", "target_id": task.pk})
    assert response.status_code == 404
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize(("target_type", "target_id"), [("nosuch.model", 1), ("campaigns.plantask", "abc"),
                                                         ("campaigns.plantask", 999999)])
def test_bad_target_is_404(client, world, task_and_practice, target_type, target_id):
    _task, practice = task_and_practice
    client.force_login(world.user("secretary"))
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {
        "practice": practice.pk, "target_type": target_type, "target_id": target_id})
    assert response.status_code == 404


def test_viewer_sees_links_but_no_form(client, world, task_and_practice):
    task, practice = task_and_practice
    client.force_login(world.user("secretary"))
    client.post("/mo-hinh/bang-chung/lien-ket/", {"practice": practice.pk, "target_type": "campaigns.plantask",
                                                  "target_id": task.pk})
    client.force_login(world.user("viewer"))
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Hũ gạo tình thương" in page
    assert "/mo-hinh/bang-chung/lien-ket/" not in page
    assert "/go/" not in page  # no remove button either


@pytest.mark.parametrize("target_type", ["core.notification", "core.user", "orgs.organisation"])
def test_a_kind_no_room_declares_linkable_is_404_and_writes_nothing(client, world, task_and_practice, target_type):
    """Issue 9: the form accepted any model (and answered 500 for one without a scope); only the kinds rooms
    declare in RoomConfig.linkable are offered, any other reads like a record that does not exist."""
    from django.apps import apps

    from chithi.core.models import Notification

    _task, practice = task_and_practice
    Notification.objects.create(user=world.user("secretary"), title="Mã tra cứu PA-1234")
    target = apps.get_model(target_type).objects.order_by("pk").first()
    client.force_login(world.user("admin"))
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {
        "practice": practice.pk, "target_type": target_type, "target_id": target.pk})
    assert response.status_code == 404
    assert not EvidenceLink.objects.exists()


def test_practice_page_lists_only_tasks_the_viewer_may_open(client, world, task_and_practice):
    """Issue 10: the practice's page named a plan task its reader could not open (the task page was 404)."""
    task, practice = task_and_practice
    EvidenceLink.objects.create(practice=practice, target=task, note="")
    client.force_login(world.user("cell_secretary"))  # sees the cell's practice, not the ward's plan
    assert client.get(task.get_absolute_url()).status_code == 404
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Nhân rộng mô hình tự quản" not in page
    client.force_login(world.user("secretary"))
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Nhân rộng mô hình tự quản" in page and task.get_absolute_url() in page

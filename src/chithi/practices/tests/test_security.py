"""Issue 9: evidence links reach only the kinds of record the rooms declare linkable, within scope; the HTML form
answers 4xx, never 500, to any hostile input."""

from __future__ import annotations

import pytest

from chithi.core.models import Notification
from chithi.practices.models import EvidenceLink
from chithi.practices.tests.factories import PracticeFactory

HUGE = "9" * 30


@pytest.fixture
def practice(world):
    return PracticeFactory(organisation=world.cell_a1)


@pytest.fixture
def notice(world):
    return Notification.objects.create(user=world.user("admin"), title="Mã tra cứu ABC-123")


@pytest.mark.parametrize("label", ["core.notification", "core.user", "dialogues.apiclient",
                                   "orgs.orgparentperiod", "nosuch", "a.b.c", ""])
def test_api_refuses_kinds_no_room_declared(client, world, practice, notice, label):
    client.force_login(world.user("admin"))
    target_id = notice.pk if label == "core.notification" else world.user("admin").pk
    response = client.post("/api/practice-evidence/", {"practice": practice.pk, "target_type": label,
                                                       "target_id": target_id}, content_type="application/json")
    assert response.status_code == 400
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize(("label", "target_id"), [
    ("core.notification", "NOTICE"), ("core.user", "1"), ("nosuch", "1"), ("a.b.c", "1"),
    ("campaigns.plantask", HUGE), ("campaigns.plantask", "-1"), ("campaigns.plantask", "x"),
    ("campaigns.plantask", "\x00"), ("campaigns.plantask", ""),
])
def test_html_form_answers_404_never_500(client, world, practice, notice, label, target_id):
    client.force_login(world.user("admin"))
    target_id = str(notice.pk) if target_id == "NOTICE" else target_id
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {"practice": practice.pk, "target_type": label,
                                                             "target_id": target_id})
    assert response.status_code == 404
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("practice_id", [HUGE, "-1", "x", ""])
def test_html_form_with_a_bad_practice_answers_404(client, world, practice_id):
    client.force_login(world.user("admin"))
    response = client.post("/mo-hinh/bang-chung/lien-ket/", {"practice": practice_id,
                                                             "target_type": "campaigns.plantask", "target_id": "1"})
    assert response.status_code == 404


def test_target_outside_scope_reads_like_missing(client, world):
    from chithi.campaigns.tests.factories import PlanTaskFactory

    practice = PracticeFactory(organisation=world.cell_a1)
    task = PlanTaskFactory(plan__organisation=world.cell_b1)
    client.force_login(world.user("cell_secretary"))
    response = client.post("/api/practice-evidence/", {"practice": practice.pk, "target_type": "campaigns.plantask",
                                                       "target_id": task.pk}, content_type="application/json")
    missing = client.post("/api/practice-evidence/", {"practice": practice.pk, "target_type": "campaigns.plantask",
                                                      "target_id": 987654}, content_type="application/json")
    assert response.status_code == missing.status_code == 400 and response.json() == missing.json()

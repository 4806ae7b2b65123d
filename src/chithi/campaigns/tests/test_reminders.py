"""Reminders: owners and the unit's secretaries hear about tasks due soon and overdue, once per task per stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.core.management import call_command

from chithi.campaigns import services
from chithi.campaigns.models import Plan, PlanTask
from chithi.campaigns.reminders import send_reminders
from chithi.campaigns.tasks import send_task_reminders
from chithi.core.models import Notification, User
from chithi.orgs.tests.factories import UserFactory


def _ward_tasks(world: Any, campaign: Any) -> Plan:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    return Plan.objects.get(organisation=world.ward_a)


def test_due_and_overdue_tasks_notify_owners_and_secretary_once(world: Any, campaign: Any,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    plan = _ward_tasks(world, campaign)
    owner = UserFactory(username="owner-a1")
    owner.person = world.person_a1
    owner.save()
    task = PlanTask.objects.get(plan=plan, source_task=campaign.tasks[1])  # due 1/4/2026
    services.update_task(actor=world.user("admin"), task=task, owner_people=[world.person_a1])
    # 27/3/2026 (Friday): 1/4 is three working days ahead; 2/3 is already past.
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reminders(today=dt.date(2026, 3, 27), days_ahead=3)
    assert sent["due"] >= 2 and sent["overdue"] >= 1
    secretary: User = world.user("secretary")
    titles = set(Notification.objects.filter(user=secretary).values_list("title", flat=True))
    assert any(t.startswith("Nhiệm vụ sắp đến hạn") for t in titles)
    assert any(t.startswith("Nhiệm vụ quá hạn") for t in titles)
    assert Notification.objects.filter(user=owner, url=task.get_absolute_url()).count() == 1
    # The city's staff are not this ward's secretaries; the cell secretary is not either.
    assert not Notification.objects.filter(user=world.user("cell_secretary")).exists()
    assert any(owner.email in message.to for message in mail.outbox)
    count = Notification.objects.count()
    again = send_reminders(today=dt.date(2026, 3, 27), days_ahead=3)
    assert again == {"due": 0, "overdue": 0} and Notification.objects.count() == count
    # The same task later becomes overdue: a new stage, one more notice.
    later = send_reminders(today=dt.date(2026, 4, 2), days_ahead=0)
    assert later["overdue"] >= 1
    assert Notification.objects.filter(user=owner, title__startswith="Nhiệm vụ quá hạn").count() == 1


def test_finished_and_far_tasks_are_quiet(world: Any, campaign: Any) -> None:
    plan = _ward_tasks(world, campaign)
    for task in plan.tasks.all():
        services.report_progress(actor=world.user("admin"), task=task, progress=100)
    assert send_reminders(today=dt.date(2026, 3, 27), days_ahead=3)["overdue"] == 0
    assert not Notification.objects.filter(user=world.user("secretary")).exists()


def test_reminders_run_as_a_task_and_from_the_command(world: Any, campaign: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _ward_tasks(world, campaign)
    result = send_task_reminders.enqueue(days_ahead=3)
    assert result.return_value["overdue"] >= 1
    call_command("campaigns_reminders", "--now")

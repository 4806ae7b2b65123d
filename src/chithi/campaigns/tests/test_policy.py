"""One policy per aggregate (policy.py): what a page offers is exactly what the service and the API accept."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from chithi.campaigns import policy, services
from chithi.campaigns.api import ProgressSerializer
from chithi.campaigns.models import Plan, PlanTask, TaskStatus


def _page(client: Client, name: str, pk: int) -> str:
    response = client.get(reverse(f"campaigns:{name}", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_closed_plan_offers_no_change_and_every_way_in_refuses_one(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    services.close_plan(actor=admin, plan=campaign.plan, closed_on=dt.date(2026, 12, 31))
    plan = Plan.objects.get(pk=campaign.plan.pk)
    assert policy.PLAN.allowed(admin, plan) == set()
    client = Client()
    client.force_login(admin)
    body = _page(client, "plan_detail", plan.pk)
    for name in ("plan_edit", "task_create", "plan_cascade", "plan_close"):
        assert reverse(f"campaigns:{name}", args=[plan.pk]) not in body, name
    # The pages behind those buttons send the user back with the reason; the service and the API refuse too.
    response = client.get(reverse("campaigns:plan_edit", args=[plan.pk]), follow=True)
    assert response.redirect_chain[-1][0] == plan.get_absolute_url() and "31/12/2026" in response.content.decode()
    with pytest.raises(ValidationError, match="31/12/2026"):
        services.update_plan(actor=admin, plan=plan, title="Đổi tên sau khi đóng")
    with pytest.raises(ValidationError):
        services.create_task(actor=admin, plan=plan, title="Việc muộn", deadline=dt.date(2026, 6, 1))
    api = APIClient()
    api.force_authenticate(admin)
    response = api.patch(f"/api/plans/{plan.pk}/", {"title": "Đổi tên"}, format="json")
    assert response.status_code == 400 and "31/12/2026" in str(response.json())
    task = campaign.tasks[0]
    assert _page(client, "task_detail", task.pk).count('name="progress"') == 0
    assert api.post(f"/api/plan-tasks/{task.pk}/progress/", {"progress": 10}, format="json").status_code == 400
    assert Plan.objects.get(pk=plan.pk).title == campaign.plan.title


def test_a_required_task_is_not_offered_cancelling(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    required = PlanTask.objects.filter(plan__organisation=world.ward_a).first()
    own = services.create_task(actor=world.user("secretary"), plan=required.plan, title="Việc riêng",  # type: ignore[union-attr]
                               deadline=dt.date(2026, 6, 1))
    client = Client()
    client.force_login(world.user("secretary"))
    assert f'value="{TaskStatus.CANCELLED}"' not in _page(client, "task_detail", required.pk)  # type: ignore[union-attr]
    assert f'value="{TaskStatus.CANCELLED}"' in _page(client, "task_detail", own.pk)
    # Its title and weight are shown but not editable, since the service would refuse a change.
    edit = _page(client, "task_edit", required.pk)  # type: ignore[union-attr]
    assert 'name="title"' in edit and "disabled" in edit.split('name="title"')[1].split(">")[0]
    response = client.post(reverse("campaigns:task_progress", args=[required.pk]),  # type: ignore[union-attr]
                           {"status": "cancelled", "cancel_reason": "Không làm"}, follow=True)
    assert "không thể hủy" in response.content.decode().lower()
    assert PlanTask.objects.get(pk=required.pk).status == TaskStatus.PLANNED  # type: ignore[union-attr]


def test_a_unit_without_sub_units_is_not_offered_the_cascade(world: Any) -> None:
    from chithi.campaigns.tests.factories import PlanFactory, ThemeFactory

    plan = PlanFactory(organisation=world.cell_a1, theme=ThemeFactory(organisation=world.cell_a1))
    secretary = world.user("cell_secretary")
    assert "cascade" not in policy.PLAN.allowed(secretary, plan) and "add_task" in policy.PLAN.allowed(secretary, plan)
    client = Client()
    client.force_login(secretary)
    assert reverse("campaigns:plan_cascade", args=[plan.pk]) not in _page(client, "plan_detail", plan.pk)
    with pytest.raises(ValidationError, match="Chi bộ Khu phố 1"):
        services.cascade_plan(actor=secretary, plan=plan)


def test_the_citys_directive_is_read_below_but_offers_no_edit_there(world: Any, campaign: Any) -> None:
    client = Client()
    client.force_login(world.user("secretary"))
    body = _page(client, "directive_detail", campaign.directive.pk)
    assert reverse("campaigns:directive_edit", args=[campaign.directive.pk]) not in body
    assert 'name="file"' not in body  # no upload form either
    assert reverse("campaigns:theme_create") in body  # but the ward may set its own theme under it
    assert policy.DIRECTIVE.allowed(world.user("secretary"), campaign.directive) == {"add_theme"}


def _options(body: str) -> list[str]:
    """The values the progress form's status select offers on a task's page."""
    select = body.split('name="status"')[1].split("</select>")[0]
    return [part.split('"')[0] for part in select.split('value="')[1:]]


def test_a_refused_cancel_comes_back_without_offering_cancel_again(world: Any, campaign: Any) -> None:
    """The progress form re-drawn after a refusal (core.forms.page_form) offers what the policy allows for this
    task, as the page did before: a required task is not offered 'cancelled' a second time."""
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    required = PlanTask.objects.filter(plan__organisation=world.ward_a).first()
    assert required is not None
    client = Client()
    client.force_login(world.user("secretary"))
    url = reverse("campaigns:task_progress", args=[required.pk])
    refused = client.post(url, {"status": "cancelled", "cancel_reason": "Không làm", "note": "Đã bàn"})
    assert refused.status_code == 200  # the page again, bound, with the reason under the field
    body = refused.content.decode()
    assert "không thể hủy" in body.lower() and "Đã bàn" in body
    assert TaskStatus.CANCELLED not in _options(body) and 'name="cancel_reason"' not in body
    assert TaskStatus.IN_PROGRESS in _options(body)
    # Refused by the form itself (progress out of range): the same choices.
    body = client.post(url, {"progress": "120"}).content.decode()
    assert TaskStatus.CANCELLED not in _options(body)
    assert PlanTask.objects.get(pk=required.pk).status == TaskStatus.PLANNED


def test_a_task_that_may_be_cancelled_keeps_the_choice_after_a_refusal(world: Any, campaign: Any) -> None:
    client = Client()
    client.force_login(world.user("admin"))
    task = campaign.tasks[0]
    assert TaskStatus.CANCELLED in _options(_page(client, "task_detail", task.pk))
    # No reason given: refused, and the user can give it on the same form.
    body = client.post(reverse("campaigns:task_progress", args=[task.pk]), {"status": "cancelled"}).content.decode()
    assert TaskStatus.CANCELLED in _options(body) and 'name="cancel_reason"' in body
    assert PlanTask.objects.get(pk=task.pk).status == TaskStatus.PLANNED


def test_allowed_statuses_is_the_rule_the_service_and_the_api_apply(world: Any, campaign: Any) -> None:
    admin, secretary = world.user("admin"), world.user("secretary")
    everything = list(TaskStatus)
    assert policy.allowed_statuses(admin, campaign.tasks[0]) == everything
    services.cascade_plan(actor=admin, plan=campaign.plan, units=[world.ward_a])
    required, other = PlanTask.objects.filter(plan__organisation=world.ward_a).order_by("id")[:2]
    assert policy.allowed_statuses(secretary, required) == [s for s in everything if s != TaskStatus.CANCELLED]
    api = APIClient()
    api.force_authenticate(secretary)
    response = api.post(f"/api/plan-tasks/{required.pk}/progress/",
                        {"status": "cancelled", "cancel_reason": "Không làm"}, format="json")
    assert response.status_code == 400 and "không thể hủy" in str(response.json()["status"]).lower()
    # The serializer answers it itself, before the service is reached.
    serializer = ProgressSerializer(data={"status": "cancelled", "cancel_reason": "Không làm"},
                                    context={"request": SimpleNamespace(user=secretary), "task": required})
    assert not serializer.is_valid() and "không thể hủy" in str(serializer.errors["status"]).lower()
    assert ProgressSerializer(data={"status": "done"}, context={"request": SimpleNamespace(user=secretary),
                                                                "task": required}).is_valid()
    # A required task cancelled already (a merger carried it elsewhere) may stay cancelled: that is no transition,
    # and the export says "cancelled" for it, so a re-imported sheet is not refused.
    PlanTask.objects.filter(pk=other.pk).update(status=TaskStatus.CANCELLED, cancel_reason="Trùng")
    other.refresh_from_db()
    assert TaskStatus.CANCELLED in policy.allowed_statuses(secretary, other)
    services.report_progress(actor=secretary, task=other, status=TaskStatus.CANCELLED, cancel_reason="Trùng lặp")
    assert PlanTask.objects.get(pk=other.pk).cancel_reason == "Trùng lặp"
    # Outside the scope nothing is allowed.
    assert policy.allowed_statuses(world.user("nobody"), required) == []

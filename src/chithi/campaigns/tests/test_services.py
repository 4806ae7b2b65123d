"""Services: the cascade (one action, idempotent, all or nothing), bad input, progress, audit, the successor hook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chithi.campaigns import services
from chithi.campaigns.models import Plan, PlanTask, TaskStatus, TaskUpdate
from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory, ThemeFactory
from chithi.core import audit
from chithi.core.models import AuditEntry
from chithi.core.workdays import is_working_day
from chithi.orgs import services as org_services
from chithi.orgs.tests.factories import PersonFactory, superuser


def test_cascade_gives_each_sub_unit_its_plan_with_required_tasks(world: Any, campaign: Any) -> None:
    result = services.cascade_plan(actor=world.user("admin"), plan=campaign.plan,
                                   units=[world.ward_a, world.ward_b])
    assert len(result.plans_created) == 2 and result.tasks_created == 6
    ward_plan = Plan.objects.get(organisation=world.ward_a, theme=campaign.theme)
    assert ward_plan.parent == campaign.plan
    tasks = list(ward_plan.tasks.order_by("deadline"))
    assert [t.title for t in tasks] == [t.title for t in campaign.tasks]
    assert all(t.required and t.source_task_id for t in tasks)
    assert list(tasks[0].owner_units.all()) == [world.ward_a]
    assert tasks[1].target == "100% đảng viên" and tasks[1].weight == Decimal(2)


def test_cascading_twice_does_not_duplicate(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    again = services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    assert len(again.plans_created) == 1 and len(again.plans_existing) == 1
    assert again.tasks_existing == 3 and again.tasks_created == 3
    assert Plan.objects.filter(theme=campaign.theme).count() == 3
    assert PlanTask.objects.filter(plan__organisation=world.ward_a).count() == 3


def test_cascade_to_all_active_sub_units_by_default(world: Any, campaign: Any) -> None:
    result = services.cascade_plan(actor=world.user("admin"), plan=campaign.plan)
    assert {p.organisation for p in result.plans} == {world.ward_a, world.ward_b, world.agency}


def test_cascade_with_lead_time_counts_working_days(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a], lead_working_days=3)
    sub = PlanTask.objects.get(plan__organisation=world.ward_a, source_task=campaign.tasks[1])
    # 1/4/2026 is a Wednesday: three working days earlier is Friday 27/3/2026.
    assert sub.deadline == dt.date(2026, 3, 27)
    assert is_working_day(sub.deadline)


def test_cascade_to_merged_unit_is_refused_and_nothing_is_written(world: Any, campaign: Any) -> None:
    root = superuser()
    ward_b = world.ward_b
    successor, _event = org_services.merge_organisations(
        actor=root, sources=[ward_b], target=world.ward_a, effective_on=dt.date(2025, 7, 1))
    plans_before, tasks_before = Plan.objects.count(), PlanTask.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.agency, ward_b])
    message = " ".join(caught.value.message_dict["units"])
    assert "Đảng ủy phường Đông Lễ" in message and successor.name in message and "01/07/2025" in message
    assert (Plan.objects.count(), PlanTask.objects.count()) == (plans_before, tasks_before)


def test_cascade_failing_midway_leaves_nothing_half_written(world: Any, campaign: Any, monkeypatch: Any) -> None:
    calls = {"n": 0}
    original = audit.record

    def failing_record(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    assert Plan.objects.count() == 1
    assert PlanTask.objects.count() == 3


def test_cascade_outside_scope_is_denied(world: Any, campaign: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.cascade_plan(actor=world.user("secretary"), plan=campaign.plan, units=[world.ward_a])


def test_cascade_only_to_direct_sub_units(world: Any, campaign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.cell_a1])
    assert "Chi bộ Khu phố 1" in " ".join(caught.value.messages)


def test_ward_cascades_further_to_its_cells(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    ward_plan = Plan.objects.get(organisation=world.ward_a)
    result = services.cascade_plan(actor=world.user("secretary"), plan=ward_plan)
    assert {p.organisation for p in result.plans} == {world.cell_a1, world.cell_a2}
    assert PlanTask.objects.filter(plan__organisation=world.cell_a1, required=True).count() == 3


def test_cascade_is_audited(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    plan = Plan.objects.get(organisation=world.ward_a)
    entry = AuditEntry.objects.for_object(plan).get()
    assert entry.user == world.user("admin") and entry.action == "create" and entry.org_path == world.ward_a.path


# --- bad input ----------------------------------------------------------------------------------


def test_deadline_before_plan_start_is_refused(world: Any, campaign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc", deadline=dt.date(2025, 12, 1))
    assert "01/01/2026" in caught.value.message_dict["deadline"][0]


def test_weight_below_zero_is_refused(world: Any, campaign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc", deadline=dt.date(2026, 5, 4),
                             weight=-1)
    assert "weight" in caught.value.message_dict
    assert PlanTask.objects.count() == 3


@pytest.mark.parametrize("value", [-1, 101, "abc", 50.5])
def test_progress_outside_0_100_is_refused(world: Any, campaign: Any, value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.report_progress(actor=world.user("admin"), task=campaign.tasks[0], progress=value)
    assert "progress" in caught.value.message_dict
    assert not TaskUpdate.objects.exists()


def test_task_assigned_outside_the_units_scope_is_refused(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    ward_plan = Plan.objects.get(organisation=world.ward_a)
    with pytest.raises(ValidationError) as caught:
        services.create_task(actor=world.user("secretary"), plan=ward_plan, title="Việc", deadline=dt.date(2026, 5, 4),
                             owner_units=[world.cell_b1])
    assert "Chi bộ Khu phố 3" in caught.value.message_dict["owner_units"][0]
    with pytest.raises(ValidationError) as caught:
        services.create_task(actor=world.user("secretary"), plan=ward_plan, title="Việc", deadline=dt.date(2026, 5, 4),
                             owner_people=[world.person_b1])
    assert "Lê Thị Bình" in caught.value.message_dict["owner_people"][0]


def test_owner_inside_the_subtree_is_accepted(world: Any, campaign: Any) -> None:
    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc",
                                deadline=dt.date(2026, 5, 4),
                                owner_units=[world.cell_a1], owner_people=[world.person_a1])
    assert list(task.owner_people.all()) == [world.person_a1]


def test_deadline_in_working_days_skips_weekends_and_tet(world: Any) -> None:
    plan = PlanFactory(organisation=world.city, theme=ThemeFactory(organisation=world.city, year=2026),
                       starts_on=dt.date(2026, 2, 13))
    task = services.create_task(actor=world.user("admin"), plan=plan, title="Việc", deadline_working_days=1)
    # 13/2/2026 is a Friday before Tết (holidays to 20/2 or later); one working day later lands after Tết.
    assert task.deadline > dt.date(2026, 2, 20)
    assert is_working_day(task.deadline)


def test_cancelling_needs_a_reason_and_required_tasks_cannot_be_cancelled(world: Any, campaign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.report_progress(actor=world.user("admin"), task=campaign.tasks[0], status=TaskStatus.CANCELLED)
    assert "cancel_reason" in caught.value.message_dict
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    sub = PlanTask.objects.filter(plan__organisation=world.ward_a).first()
    assert sub is not None
    with pytest.raises(ValidationError):
        services.report_progress(actor=world.user("secretary"), task=sub, status=TaskStatus.CANCELLED,
                                 cancel_reason="Không làm")


def test_progress_moves_the_status_and_keeps_a_timeline(world: Any, campaign: Any) -> None:
    task = campaign.tasks[0]
    services.report_progress(actor=world.user("admin"), task=task, progress=40, note="Đã họp 2/5 chi bộ")
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    services.report_progress(actor=world.user("admin"), task=task, progress=100)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_on is not None
    timeline = list(task.updates.order_by("created_at", "id").values_list("progress", "note"))
    assert timeline == [(40, "Đã họp 2/5 chi bộ"), (100, "")]
    entries = AuditEntry.objects.for_object(task).filter(action="update")
    assert entries.count() == 2 and entries.first().after["progress"] == 100  # type: ignore[union-attr]


def test_required_task_keeps_its_title(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a])
    sub = PlanTask.objects.filter(plan__organisation=world.ward_a).first()
    assert sub is not None
    with pytest.raises(ValidationError):
        services.update_task(actor=world.user("secretary"), task=sub, title="Đổi tên")
    services.update_task(actor=world.user("secretary"), task=sub, owner_people=[world.person_a1])
    assert list(sub.owner_people.all()) == [world.person_a1]


def test_evidence_link_must_be_a_web_address(world: Any, campaign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.add_evidence(actor=world.user("admin"), task=campaign.tasks[0], kind="link", url="javascript:alert(1)")
    assert "url" in caught.value.message_dict


def test_directive_and_theme_bad_input(world: Any, campaign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_directive(actor=world.user("admin"), organisation=world.city, number="05-CT/TW",
                                  issued_on=dt.date(2016, 5, 15), issuer="Bộ Chính trị", title="Trùng")
    assert "number" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_theme(actor=world.user("admin"), organisation=world.city, year=2015,
                              directive=campaign.directive, text="Chủ đề")
    assert "year" in caught.value.message_dict


def test_ward_cannot_plan_a_neighbours_theme(world: Any) -> None:
    theme = ThemeFactory(organisation=world.ward_b, year=2026)
    with pytest.raises(ValidationError) as caught:
        services.create_plan(actor=world.user("secretary"), organisation=world.ward_a, theme=theme, title="KH")
    assert "theme" in caught.value.message_dict


# --- restructuring ------------------------------------------------------------------------------


def test_merger_moves_open_plans_and_tasks_to_the_successor(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    plan_a = Plan.objects.get(organisation=world.ward_a)
    plan_b = Plan.objects.get(organisation=world.ward_b)
    own = PlanTaskFactory(plan=plan_b, title="Đối thoại với Nhân dân khu phố 3", deadline=dt.date(2026, 9, 1))
    done = PlanTask.objects.filter(plan=plan_b, required=True).first()
    assert done is not None
    services.report_progress(actor=superuser(), task=done, progress=100)
    new_ward, _event = org_services.merge_organisations(
        actor=superuser(), sources=[world.ward_a, world.ward_b], effective_on=dt.date(2026, 7, 1),
        new_name="Đảng ủy phường Đông Hà")
    plan_a.refresh_from_db()
    plan_b.refresh_from_db()
    # Ward A's plan moved whole; ward B's open work joined it; its duplicates of the city's tasks were cancelled.
    assert plan_a.organisation == new_ward and plan_a.is_open
    assert plan_b.organisation == world.ward_b and plan_b.closed_on == dt.date(2026, 7, 1)
    own.refresh_from_db()
    assert own.plan == plan_a
    done.refresh_from_db()
    assert done.plan == plan_b and done.status == TaskStatus.DONE  # finished work stays as history
    cancelled = PlanTask.objects.filter(plan=plan_b, status=TaskStatus.CANCELLED)
    assert cancelled.count() == 2 and "Đảng ủy phường Đông Hà" in cancelled.first().cancel_reason  # type: ignore[union-attr]
    # The cells' plans issued later from the merged ward would answer to the successor's plan.
    assert Plan.objects.filter(organisation=new_ward).count() == 1


def test_merger_moves_unit_ownership_of_open_tasks(world: Any, campaign: Any) -> None:
    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc của phường",
                                deadline=dt.date(2026, 9, 1), owner_units=[world.ward_b])
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=world.ward_a,
                                     effective_on=dt.date(2026, 7, 1))
    assert list(task.owner_units.all()) == [world.ward_a]


def test_person_factory_owner_in_cell(world: Any, campaign: Any) -> None:
    person = PersonFactory(organisation=world.cell_a2)
    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc",
                                deadline=dt.date(2026, 5, 4),
                                owner_people=[person])
    assert task.owner_people.count() == 1


# --- the write toolkit: history on the related object, one rule for None and unchanged values ------------


def test_the_source_plans_history_shows_what_was_issued_from_it(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    issued = AuditEntry.objects.for_object(campaign.plan).filter(action="create").exclude(
        object_id=str(campaign.plan.pk))
    assert {e.org_path for e in issued} == {world.ward_a.path, world.ward_b.path}
    assert all(campaign.plan.title in e.note for e in issued)
    # Each higher-level task's history lists the units carrying it.
    carried = AuditEntry.objects.for_object(campaign.tasks[0]).exclude(object_id=str(campaign.tasks[0].pk))
    assert {e.org_path for e in carried} == {world.ward_a.path, world.ward_b.path}
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.user("admin"))
    page = client.get(reverse("campaigns:plan_history", args=[campaign.plan.pk])).content.decode()
    assert "Đảng ủy phường Đông Thanh" in page and "Đảng ủy phường Đông Lễ" in page


def test_an_update_that_changes_nothing_writes_nothing(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    entries = AuditEntry.objects.count()
    services.update_plan(actor=admin, plan=campaign.plan, title=f"  {campaign.plan.title} ", number="")
    services.update_directive(actor=admin, directive=campaign.directive, number="05-CT/TW ")
    services.update_task(actor=admin, task=campaign.tasks[0], title=campaign.tasks[0].title, owner_units=[])
    assert AuditEntry.objects.count() == entries


def test_none_clears_a_text_and_is_refused_for_a_required_field(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    services.update_directive(actor=admin, directive=campaign.directive, summary="Tóm tắt")
    directive = services.update_directive(actor=admin, directive=campaign.directive, summary=None)
    assert directive.summary == ""
    with pytest.raises(ValidationError) as caught:
        services.update_directive(actor=admin, directive=campaign.directive, issued_on=None)
    assert "issued_on" in caught.value.message_dict
    # A plan's empty start means the first day of the theme's year, on the edit form as on the new one.
    services.update_plan(actor=admin, plan=campaign.plan, starts_on=dt.date(2026, 2, 1))
    plan = services.update_plan(actor=admin, plan=campaign.plan, starts_on=None)
    assert plan.starts_on == dt.date(2026, 1, 1)


def test_changing_only_the_people_in_charge_is_one_audited_change(world: Any, campaign: Any) -> None:
    task = campaign.tasks[0]
    services.update_task(actor=world.user("admin"), task=task, owner_people=[world.person_a1])
    entry = AuditEntry.objects.for_object(task).filter(action="update").get()
    assert entry.before["owner_people"] == [] and entry.after["owner_people"] == [world.person_a1.pk]  # type: ignore[index]
    services.update_task(actor=world.user("admin"), task=task, title="Quán triệt chủ đề năm 2026",
                         owner_people=[])
    entry = AuditEntry.objects.for_object(task).filter(action="update").order_by("-id").first()
    assert entry is not None and AuditEntry.objects.for_object(task).filter(action="update").count() == 2
    assert entry.before["owner_people"] == [world.person_a1.pk] and entry.after["owner_people"] == []  # type: ignore[index]
    assert entry.after["title"] == "Quán triệt chủ đề năm 2026"  # type: ignore[index]


def test_merger_into_the_issuing_unit_does_not_copy_its_own_tasks_back(world: Any, campaign: Any) -> None:
    """Issue 10 (the demo's reform): a body merged into the unit that issued its plan carries required tasks copied
    from that very plan; they are cancelled (the successor carries the originals), not added as duplicates."""
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.agency])
    own = PlanTaskFactory(plan=Plan.objects.get(organisation=world.agency), title="Việc riêng của cơ quan",
                          deadline=dt.date(2026, 9, 1))
    org_services.merge_organisations(actor=superuser(), sources=[world.agency], target=world.city,
                                     effective_on=dt.date(2026, 7, 1))
    titles = list(campaign.plan.tasks.exclude(status=TaskStatus.CANCELLED).values_list("title", flat=True))
    assert sorted(titles) == sorted([t.title for t in campaign.tasks] + [own.title])


# --- owners who have since left keep their place on the task until someone takes them off ----------------------


def _left(world: Any, person: Any) -> None:
    """`person` leaves every unit they served in (a transfer, a retirement)."""
    for membership in person.memberships.filter(until__isnull=True):
        org_services.end_membership(actor=superuser(), membership=membership, until=dt.date(2026, 6, 1))


def test_a_deadline_moves_when_a_person_in_charge_has_since_left(world: Any, campaign: Any) -> None:
    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc",
                                deadline=dt.date(2026, 9, 1), owner_people=[world.person_a1])
    _left(world, world.person_a1)
    services.update_task(actor=world.user("admin"), task=task, deadline=dt.date(2026, 9, 15))
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 9, 15)
    assert list(task.owner_people.all()) == [world.person_a1]  # the record of who was in charge stays
    # Adding someone who has left is still refused, and names them.
    other = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc khác",
                                 deadline=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError) as caught:
        services.update_task(actor=world.user("admin"), task=other, owner_people=[world.person_a1])
    assert world.person_a1.full_name in caught.value.message_dict["owner_people"][0]


def test_a_merger_handing_a_task_to_the_successor_shows_on_the_tasks_history(world: Any, campaign: Any) -> None:
    """Seen in the demo: a province task read "Đơn vị chủ trì: Ban Tuyên giáo Thành ủy" in its history and nothing
    after, though the merger had made the province's board the unit in charge."""
    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc của phường",
                                deadline=dt.date(2026, 9, 1), owner_units=[world.ward_b])
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=world.ward_a,
                                     effective_on=dt.date(2026, 7, 1))
    moved = AuditEntry.objects.filter(object_id=str(task.pk), content_type__model="plantask",
                                      action=audit.AuditAction.MOVE).get()
    assert moved.before["owner_units"] == [world.ward_b.pk] and moved.after["owner_units"] == [world.ward_a.pk]
    assert "Đảng ủy phường Đông Thanh" in moved.note and "01/07/2026" in moved.note

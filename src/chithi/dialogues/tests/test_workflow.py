"""The issue workflow through the services: steps, reasons, due dates, escalation, restructuring."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chithi.core.models import AuditEntry, Notification
from chithi.core.workdays import add_working_days
from chithi.dialogues import services
from chithi.dialogues.models import Issue, IssueChannel, IssueStatus
from chithi.dialogues.tasks import escalate_overdue_issues
from chithi.orgs import services as org_services

from .factories import DialogueFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_due_dates_count_working_days_and_skip_tet(world: Any, category: Any) -> None:
    # Received on Friday 24 January 2020, the eve of Tết: the holidays and the weekend are off.
    received = timezone.make_aware(dt.datetime(2020, 1, 24, 9, 0))
    issue = IssueFactory(category=category, received_at=received)
    assert issue.ack_due_on == add_working_days(dt.date(2020, 1, 24), 2)
    assert issue.ack_due_on == dt.date(2020, 1, 31)  # 25/1–29/1 are Tết: the 2 days are 30/1 and 31/1
    assert issue.answer_due_on == add_working_days(dt.date(2020, 1, 24), 10)
    assert issue.due_on == issue.ack_due_on


def test_full_workflow_records_every_step(world: Any, category: Any) -> None:
    admin, secretary = world.user("admin"), world.user("secretary")
    issue = IssueFactory(category=category)
    issue = services.accept_issue(actor=admin, issue=issue)
    assert issue.status == IssueStatus.ACCEPTED and issue.due_on == issue.answer_due_on
    issue = services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    assert issue.organisation == world.ward_a
    issue = services.start_issue(actor=secretary, issue=issue)
    issue = services.answer_issue(actor=secretary, issue=issue, answer="Đã xử lý xong.")
    assert issue.status == IssueStatus.ANSWERED and issue.due_on is None
    issue = services.close_issue(actor=secretary, issue=issue)
    kinds = list(issue.events.values_list("kind", flat=True))
    assert kinds == ["received", "accepted", "assigned", "started", "answered", "closed"]
    assert AuditEntry.objects.for_object(issue).count() == 6
    assert issue.events.get(kind="answered").actor == secretary


def test_steps_out_of_order_are_refused(world: Any, category: Any) -> None:
    admin = world.user("admin")
    issue = IssueFactory(category=category)
    with pytest.raises(ValidationError) as err:
        services.answer_issue(actor=admin, issue=issue, answer="Trả lời")
    assert "status" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.reject_issue(actor=admin, issue=issue, reason="  ")
    assert "reason" in err.value.message_dict
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RECEIVED


def test_reject_and_merge_need_their_arguments(world: Any, category: Any) -> None:
    admin = world.user("admin")
    first, second, third = IssueFactory(category=category), IssueFactory(category=category), \
        IssueFactory(category=category)
    services.reject_issue(actor=admin, issue=first, reason="Không thuộc thẩm quyền")
    merged = services.merge_issue(actor=admin, issue=second, duplicate_of=third)
    assert merged.status == IssueStatus.MERGED and merged.duplicate_of == third
    # Merging into a merged issue points at the original.
    fourth = IssueFactory(category=category)
    assert services.merge_issue(actor=admin, issue=fourth, duplicate_of=second).duplicate_of == third
    with pytest.raises(ValidationError):
        services.merge_issue(actor=admin, issue=third, duplicate_of=third)


def test_reassign_and_refer_need_a_reason_and_refer_leaves_scope(world: Any, category: Any) -> None:
    admin, secretary = world.user("admin"), world.user("secretary")
    issue = IssueFactory(category=category)
    issue = services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    with pytest.raises(ValidationError) as err:
        services.assign_issue(actor=secretary, issue=issue, unit=world.cell_a2, kind="reassign")
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # outside the secretary's subtree: only by referral
        services.assign_issue(actor=secretary, issue=issue, unit=world.agency, kind="reassign", reason="x")
    assert "unit" in err.value.message_dict
    issue = services.assign_issue(actor=secretary, issue=issue, unit=world.agency, kind="refer",
                                  reason="Thuộc thẩm quyền công an")
    assert issue.organisation == world.agency
    # The referring unit keeps reading it (issue 10), and takes no further step on it.
    assert not Issue.objects.restrict(secretary, "change").filter(pk=issue.pk).exists()
    assert Issue.objects.restrict(secretary).filter(pk=issue.pk).exists()
    event = issue.events.get(kind="referred")
    assert (event.from_unit, event.to_unit, event.reason) == (world.ward_a, world.agency, "Thuộc thẩm quyền công an")


def test_outsider_cannot_touch_an_issue(world: Any, category: Any) -> None:
    issue = IssueFactory(category=category)
    services.assign_issue(actor=world.user("admin"), issue=issue, unit=world.ward_a)
    for name in ("other_secretary", "viewer", "leader", "nobody"):
        with pytest.raises(PermissionDenied):
            services.start_issue(actor=world.user(name), issue=issue)


def test_staff_intake_needs_add_on_the_unit(world: Any, category: Any) -> None:
    staff = world.user("staff")
    issue = IssueFactory(category=category, channel=IssueChannel.VISIT, organisation=world.cell_a1, actor=staff)
    assert issue.organisation == world.cell_a1 and issue.created_by == staff
    with pytest.raises(PermissionDenied):
        IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=world.ward_b, actor=staff)


def test_dialogue_issue_lands_with_the_dialogue_unit(world: Any, category: Any) -> None:
    dialogue = DialogueFactory(organisation=world.ward_a, residential_area=world.cell_a1,
                               leaders=[world.person_a1], actor=world.user("secretary"))
    issue = IssueFactory(category=category, channel=IssueChannel.DIALOGUE, dialogue=dialogue,
                         actor=world.user("secretary"))
    assert issue.organisation == world.ward_a and issue.area == world.cell_a1.name
    assert list(dialogue.leaders.all()) == [world.person_a1]


def test_escalation_once_per_stage_with_notifications(world: Any, category: Any,
                                                      django_capture_on_commit_callbacks: Any) -> None:
    admin = world.user("admin")
    issue = IssueFactory(category=category)
    services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    issue.refresh_from_db()
    late = issue.answer_due_on + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(today=late) == 1
    issue.refresh_from_db()
    assert issue.escalated_to == world.city and issue.escalated_stage == "answer"
    # The city's users are told (in-app and e-mail), and so is the late ward.
    city_users = {world.user(n) for n in ("admin", "leader", "viewer")}
    notified = {n.user for n in Notification.objects.filter(title__contains=issue.display_code)
                if "escalated" in n.title or "chuyển" in n.title.lower() or True}
    assert city_users <= notified
    assert any(world.user("secretary").email in m.to for m in mail.outbox)
    count = Notification.objects.count()
    assert services.escalate_overdue(today=late + dt.timedelta(days=3)) == 0  # once per stage
    assert Notification.objects.count() == count
    assert issue.events.filter(kind="escalated", public=False).count() == 1


def test_escalated_issue_shows_in_the_parent_queue(world: Any, category: Any) -> None:
    issue = IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=world.cell_a1,
                         actor=world.user("cell_secretary"))
    services.escalate_overdue(today=issue.ack_due_on + dt.timedelta(days=1))
    issue.refresh_from_db()
    assert issue.escalated_to == world.ward_a and issue.escalated_stage == "ack"
    assert Issue.objects.restrict(world.user("secretary")).filter(pk=issue.pk).exists()
    assert not Issue.objects.restrict(world.user("other_secretary")).filter(pk=issue.pk).exists()


def test_task_escalates_and_closes_after_the_window(world: Any, category: Any) -> None:
    admin = world.user("admin")
    old = IssueFactory(category=category, received_at=timezone.now() - dt.timedelta(days=60))
    answered = IssueFactory(category=category)
    services.assign_issue(actor=admin, issue=answered, unit=world.ward_a)
    services.answer_issue(actor=admin, issue=answered, answer="Xong")
    Issue.objects.filter(pk=answered.pk).update(answered_at=timezone.now() - dt.timedelta(days=30))
    result = escalate_overdue_issues.call()
    assert result == {"escalated": 1, "closed": 1}
    assert Issue.objects.get(pk=old.pk).escalated_stage == "ack"
    assert Issue.objects.get(pk=answered.pk).status == IssueStatus.CLOSED


def test_open_issues_follow_a_merged_unit(world: Any, category: Any) -> None:
    root = world.user("superuser")
    open_issue = IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=world.ward_a,
                              actor=root)
    closed = IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=world.ward_a, actor=root)
    services.reject_issue(actor=root, issue=closed, reason="Trùng")
    target, _event = org_services.merge_organisations(
        actor=root, sources=[world.ward_a, world.ward_b], effective_on=dt.date(2025, 7, 1), new_name="Phường mới")
    assert Issue.objects.get(pk=open_issue.pk).organisation == target
    assert Issue.objects.get(pk=closed.pk).organisation == world.ward_a
    assert Issue.objects.get(pk=open_issue.pk).events.filter(kind="transferred").exists()


def test_codes_are_unique_and_typable(world: Any, category: Any) -> None:
    issues = [IssueFactory(category=category) for _ in range(20)]
    assert len({i.tracking_code for i in issues}) == 20
    for issue in issues:
        assert all(ch not in "ILOU" for ch in issue.tracking_code)
        assert "-" in issue.display_code


def test_issue_at_a_merged_units_dialogue_goes_to_the_successor(world: Any, category: Any) -> None:
    root = world.user("superuser")
    dialogue = DialogueFactory(organisation=world.ward_a, held_on=dt.date(2020, 5, 5))
    target, _event = org_services.merge_organisations(
        actor=root, sources=[world.ward_a, world.ward_b], effective_on=dt.date(2025, 7, 1), new_name="Phường mới")
    dialogue.refresh_from_db()
    issue = IssueFactory(category=category, channel=IssueChannel.DIALOGUE, dialogue=dialogue, actor=root)
    assert issue.organisation == target


def test_escalate_command_runs_and_enqueues(world: Any, category: Any) -> None:
    import io

    from django.core.management import call_command

    IssueFactory(category=category, received_at=timezone.now() - dt.timedelta(days=40))
    out = io.StringIO()
    call_command("escalate_issues", stdout=out)
    assert "escalated 1" in out.getvalue()
    call_command("escalate_issues", "--enqueue", stdout=out)
    assert "enqueued" in out.getvalue()


def test_category_is_saved_through_the_admin_with_audit(world: Any, client: Any) -> None:
    from chithi.core.models import User
    from chithi.dialogues.models import IssueCategory

    client.force_login(User.objects.create_superuser("quantri-he-thong", "qt@example.vn", "x-pass-123"))
    response = client.post("/quan-tri/dialogues/issuecategory/add/", {
        "name": "Môi trường", "code": "moi-truong", "ack_days": "2", "answer_days": "10", "public": "on",
        "active": "on", "sort_order": "5", "description": "", "group": "", "keywords": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert "/login/" not in response["Location"], response["Location"]
    category = IssueCategory.objects.get(code="moi-truong")
    assert AuditEntry.objects.for_object(category).count() == 1
    bad = client.post("/quan-tri/dialogues/issuecategory/add/", {
        "name": "Sai", "code": "sai", "ack_days": "20", "answer_days": "10", "sort_order": "5"})
    assert bad.status_code == 200 and "ack_days" in bad.context["adminform"].form.errors
    assert not IssueCategory.objects.filter(code="sai").exists()


def test_a_unit_without_accounts_is_reached_through_the_unit_above(world: Any, category: Any,
                                                                    django_capture_on_commit_callbacks: Any) -> None:
    # Cell A2 has no account: the notice of a new issue reaches ward A's users instead of nobody.
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_issue(actor=world.user("admin"), issue=IssueFactory(category=category),
                              unit=world.cell_a2)
    notified = {n.user for n in Notification.objects.filter(dedupe_key__contains=":assigned:")}
    assert notified == {world.user("secretary"), world.user("staff")}
    assert {world.user("secretary").email, world.user("staff").email} <= {to for m in mail.outbox for to in m.to}


def test_escalation_referral_and_merge_show_on_the_related_history(world: Any, category: Any) -> None:
    admin, secretary = world.user("admin"), world.user("secretary")
    issue = IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=world.cell_a1,
                         actor=world.user("cell_secretary"))
    services.escalate_overdue(today=issue.ack_due_on + dt.timedelta(days=1))
    escalated = AuditEntry.objects.for_object(world.ward_a).get(object_id=str(issue.pk))
    assert escalated.note == "escalated: overdue" and escalated.after["escalated_to_id"] == world.ward_a.pk
    referred = services.assign_issue(actor=secretary, issue=services.assign_issue(
        actor=admin, issue=IssueFactory(category=category), unit=world.ward_a), unit=world.agency, kind="refer",
        reason="Thuộc thẩm quyền công an")
    assert AuditEntry.objects.for_object(world.agency).filter(object_id=str(referred.pk)).exists()
    original, duplicate = IssueFactory(category=category), IssueFactory(category=category)
    services.merge_issue(actor=admin, issue=duplicate, duplicate_of=original)
    assert AuditEntry.objects.for_object(original).filter(object_id=str(duplicate.pk)).exists()


def test_open_issues_moved_by_a_merger_show_on_the_retired_unit_history(world: Any, category: Any) -> None:
    root = world.user("superuser")
    issue = IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=world.ward_a, actor=root)
    org_services.merge_organisations(actor=root, sources=[world.ward_a, world.ward_b],
                                     effective_on=dt.date(2025, 7, 1), new_name="Phường mới")
    moved = AuditEntry.objects.for_object(world.ward_a).get(object_id=str(issue.pk), action="update")
    assert moved.before["organisation_id"] == world.ward_a.pk and moved.after["organisation_id"] != world.ward_a.pk


def test_changing_only_the_leaders_of_a_dialogue_is_in_its_history(world: Any) -> None:
    dialogue = DialogueFactory(organisation=world.ward_a, leaders=[world.person_a1])
    count = AuditEntry.objects.for_object(dialogue).count()
    services.update_dialogue(actor=world.user("secretary"), dialogue=dialogue, leaders=[])
    entry = AuditEntry.objects.for_object(dialogue).order_by("-id").first()
    assert AuditEntry.objects.for_object(dialogue).count() == count + 1
    assert entry is not None and entry.before == {"leaders": [world.person_a1.pk]} and entry.after == {"leaders": []}
    # Saving the same values again writes nothing.
    services.update_dialogue(actor=world.user("secretary"), dialogue=dialogue, title=dialogue.title, leaders=[])
    assert AuditEntry.objects.for_object(dialogue).count() == count + 1

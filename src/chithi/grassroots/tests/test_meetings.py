"""Cell meetings: scheduling with the standing agenda, the notice, the roll call (official, probationary, exempt),
the minutes and their corrections, the resolution's tasks reviewed at the next meeting — and every bad input
refused with nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chithi.core.models import AuditEntry, Notification
from chithi.grassroots import rules, services
from chithi.grassroots.models import (
    AgendaKind,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    ResolutionTask,
    TaskOutcome,
)
from chithi.grassroots.selectors.meetings import roster
from chithi.orgs import services as orgs
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory, UserFactory, superuser

from .factories import aware, last_month, meeting, members, next_month, roll_call


def test_scheduling_puts_the_standing_items_and_the_cells_plan_task_on_the_agenda(world: Any) -> None:
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    plan = PlanFactory(organisation=world.cell_a1)
    task = PlanTaskFactory(plan=plan, title="Vận động hội viên tham gia dịch vụ công trực tuyến")
    m = services.schedule_meeting(actor=world.user("cell_secretary"), organisation=world.cell_a1,
                                  starts_at=aware(next_month()), kind=MeetingKind.COMBINED, planned_minutes=120,
                                  topic="Làm theo Bác về nêu gương", theme_kind="ho_chi_minh", plan_tasks=[task])
    kinds = list(m.agenda.order_by("position").values_list("kind", flat=True))
    assert kinds == [AgendaKind.LAST_MONTH, AgendaKind.STUDY, AgendaKind.THEME, AgendaKind.PLAN_TASK,
                     AgendaKind.NEXT_MONTH]
    assert m.agenda.get(kind=AgendaKind.PLAN_TASK).plan_task == task
    assert m.period == next_month().year * 100 + next_month().month


def test_a_plan_task_of_another_unit_is_refused_on_the_agenda(world: Any) -> None:
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    other = PlanTaskFactory(plan=PlanFactory(organisation=world.cell_a2))
    with pytest.raises(ValidationError) as exc:
        services.schedule_meeting(actor=world.user("secretary"), organisation=world.cell_a1,
                                  starts_at=aware(next_month()), plan_tasks=[other])
    assert "plan_tasks" in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_in_a_dissolved_unit_is_refused_naming_the_successor(world: Any) -> None:
    merged, _event = orgs.merge_organisations(actor=superuser(), sources=[world.cell_a2], target=world.cell_a1,
                                              effective_on=timezone.localdate() - dt.timedelta(days=10))
    old = type(world.cell_a2).objects.get(pk=world.cell_a2.pk)
    with pytest.raises(ValidationError) as exc:
        services.schedule_meeting(actor=superuser(), organisation=old, starts_at=aware(next_month()))
    message = " ".join(exc.value.message_dict["organisation"])
    assert "chấm dứt hoạt động" in message and merged.name in message
    assert not Meeting.objects.exists()


def test_one_regular_meeting_a_month_and_a_minimum_length(world: Any) -> None:
    meeting(world.cell_a1, day=next_month(8))
    with pytest.raises(ValidationError) as exc:
        meeting(world.cell_a1, day=next_month(20))
    assert "đã có kỳ sinh hoạt thường kỳ" in " ".join(exc.value.message_dict["starts_at"])
    services.schedule_meeting(actor=superuser(), organisation=world.cell_a1, starts_at=aware(next_month(22)),
                              kind=MeetingKind.THEMATIC, topic="Chuyên đề quý", theme_kind="ho_chi_minh")
    with pytest.raises(ValidationError) as exc:
        services.schedule_meeting(actor=superuser(), organisation=world.cell_a2, starts_at=aware(next_month()),
                                  planned_minutes=60)
    assert "90" in " ".join(exc.value.message_dict["planned_minutes"])
    with pytest.raises(ValidationError) as exc:
        services.schedule_meeting(actor=superuser(), organisation=world.cell_a2, starts_at=aware(next_month()),
                                  kind=MeetingKind.COMBINED, planned_minutes=100, topic="x", theme_kind="other")
    assert "120" in " ".join(exc.value.message_dict["planned_minutes"])


def test_only_party_cells_hold_cell_meetings(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.schedule_meeting(actor=superuser(), organisation=world.ward_a, starts_at=aware(next_month()))
    assert "organisation" in exc.value.message_dict


def test_another_wards_secretary_cannot_schedule_in_ward_a(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(actor=world.user("other_secretary"), organisation=world.cell_a1,
                                  starts_at=aware(next_month()))


def test_the_notice_reaches_members_and_the_ward_in_app_and_by_email_on_commit(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    member = members(world.cell_a1, 1)[0]
    member_user = UserFactory(username="member-a1", person=member)
    m = meeting(world.cell_a1, day=next_month())
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_meeting_notice(actor=world.user("cell_secretary"), meeting=m)
    assert sent == 2  # the member's account and ward A's secretary
    notice = Notification.objects.get(user=member_user)
    assert "Học tập và làm theo tư tưởng" in notice.body and notice.url.endswith(f"/{m.pk}/")
    assert {message.to[0] for message in mail.outbox} == {member_user.email, world.user("secretary").email}
    assert services.send_meeting_notice(actor=world.user("cell_secretary"), meeting=m) == 0  # once per time


def test_the_daily_job_announces_meetings_within_the_notice_period(world: Any) -> None:
    member_user = UserFactory(username="member-a1", person=members(world.cell_a1, 1)[0])
    soon = services.schedule_meeting(actor=superuser(), organisation=world.cell_a1,
                                     starts_at=timezone.now() + dt.timedelta(hours=30))
    meeting(world.cell_a2, day=next_month(25))
    assert services.send_due_notices() == 2
    assert Notification.objects.filter(user=member_user).count() == 1
    assert Meeting.objects.get(pk=soon.pk).notified_at is not None
    assert services.send_due_notices() == 0


def test_roll_call_counts_official_probationary_and_exempt_members(world: Any) -> None:
    day = last_month()
    new = PersonFactory(full_name="Đảng viên Mới", organisation=world.cell_a1, since=dt.date(2015, 1, 1),
                        party_joined_on=day - dt.timedelta(days=100))
    elder = PersonFactory(full_name="Cụ Già", organisation=world.cell_a1, since=dt.date(2015, 1, 1),
                          party_joined_on=dt.date(1970, 1, 1))
    services.set_standing(actor=superuser(), person=elder, exempt_from=dt.date(2020, 1, 1), exempt_reason="Tuổi cao")
    absent = members(world.cell_a1, 2)
    m = roll_call(meeting(world.cell_a1, day=day), {absent[0].pk: "excused", absent[1].pk: "unexcused"})
    assert (m.roster_official, m.roster_probationary) == (4, 1)
    assert (m.present_official, m.present_probationary) == (1, 1)
    assert (m.absent_excused, m.absent_unexcused, m.exempt_absent) == (1, 1, 1)
    assert m.expected == 4 and m.attendance_rate == 50.0
    assert m.status == MeetingStatus.HELD
    assert Attendance.objects.get(meeting=m, person=new).probationary


def test_attendance_for_someone_not_a_member_on_that_day_is_refused_whole(world: Any) -> None:
    m = meeting(world.cell_a1)
    late = PersonFactory(full_name="Vào Sau", organisation=world.cell_a1, since=timezone.localdate())
    entries = [{"person": e.person.pk, "status": "present"} for e in roster(cell=world.cell_a1, day=m.local_date())]
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(actor=superuser(), meeting=m, entries=[*entries,
                                                                         {"person": late.pk, "status": "present"}])
    assert "Vào Sau không sinh hoạt tại Chi bộ Khu phố 1" in " ".join(exc.value.message_dict["attendance"])
    assert not Attendance.objects.exists()
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.SCHEDULED


def test_the_roll_call_must_name_every_member_and_a_reason_for_an_excused_absence(world: Any) -> None:
    m = meeting(world.cell_a1)
    others = members(world.cell_a1, 1)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(actor=superuser(), meeting=m,
                                   entries=[{"person": world.person_a1.pk, "status": "present"}])
    assert others[0].full_name in " ".join(exc.value.message_dict["attendance"])
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(actor=superuser(), meeting=m, entries=[
            {"person": world.person_a1.pk, "status": "present"}, {"person": others[0].pk, "status": "excused"}])
    assert "lý do vắng" in " ".join(exc.value.message_dict["attendance"])
    with pytest.raises(ValidationError):
        services.record_attendance(actor=superuser(), meeting=m, entries=[
            {"person": world.person_a1.pk, "status": "exempt"}, {"person": others[0].pk, "status": "present"}])
    assert not Attendance.objects.exists()


def test_attendance_waits_for_the_meetings_day(world: Any) -> None:
    m = meeting(world.cell_a1, day=next_month())
    with pytest.raises(ValidationError) as exc:
        roll_call(m)
    assert "từ ngày sinh hoạt" in " ".join(exc.value.messages)


def _minutes(m: Meeting, people: list[Any]) -> MinutesVersion:
    return services.save_minutes(actor=superuser(), meeting=m, chair=people[0], secretary=people[1],
                                 resolution="Thống nhất nhiệm vụ tháng tới.", votes_for=2, votes_total=2,
                                 remarks=[{"person": people[0].pk, "text": "Đề nghị sửa đèn đường."},
                                          {"name": "Đại biểu phường", "text": "Ghi nhận ý kiến."}],
                                 score_parts={key: points for key, _l, points in rules.score_frame()})


def test_minutes_approved_cannot_be_edited_and_a_correction_is_a_new_version_with_its_reason(world: Any) -> None:
    people = [world.person_a1, *members(world.cell_a1, 1)]
    m = roll_call(meeting(world.cell_a1))
    draft = _minutes(m, people)
    assert draft.score == 100 and draft.grade == "good"
    assert [r["name"] for r in draft.remarks] == [people[0].full_name, "Đại biểu phường"]
    approved = services.approve_minutes(actor=superuser(), meeting=m)
    assert approved.status == MinutesStatus.APPROVED and approved.attendance_snapshot["present_official"] == 2
    with pytest.raises(ValidationError) as exc:
        services.save_minutes(actor=superuser(), meeting=m, resolution="Sửa lén.")
    assert "phiên bản đính chính" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        roll_call(Meeting.objects.get(pk=m.pk))  # attendance is part of the approved minutes
    with pytest.raises(ValidationError) as exc:
        services.correct_minutes(actor=superuser(), meeting=m, reason="")
    assert "reason" in exc.value.message_dict
    correction = services.correct_minutes(actor=superuser(), meeting=m, reason="Ghi sai số phiếu tán thành.")
    assert (correction.number, correction.status, correction.resolution) == (2, MinutesStatus.DRAFT,
                                                                              approved.resolution)
    services.save_minutes(actor=superuser(), meeting=m, votes_for=1)
    assert MinutesVersion.objects.get(pk=approved.pk).votes_for == 2  # the signed version is untouched
    assert MinutesVersion.objects.get(pk=correction.pk).votes_for == 1
    assert AuditEntry.objects.filter(note="Ghi sai số phiếu tán thành.").exists()


def test_minutes_refuse_absent_speakers_and_probationary_votes(world: Any) -> None:
    newcomer = PersonFactory(full_name="Dự Bị", organisation=world.cell_a1, since=dt.date(2015, 1, 1),
                             party_joined_on=last_month() - dt.timedelta(days=30))
    absent = members(world.cell_a1, 1)[0]
    m = roll_call(meeting(world.cell_a1), {absent.pk: "unexcused"})
    with pytest.raises(ValidationError) as exc:
        services.save_minutes(actor=superuser(), meeting=m, chair=absent, votes_total=2,
                              remarks=[{"person": absent.pk, "text": "Tôi không có mặt"}])
    errors = exc.value.message_dict
    assert {"chair", "votes_total", "remarks"} <= set(errors)
    assert "dự bị không biểu quyết" in " ".join(errors["votes_total"])
    assert not MinutesVersion.objects.exists()
    assert newcomer.pk in set(Attendance.objects.filter(probationary=True).values_list("person_id", flat=True))


def test_approval_needs_chair_minute_taker_and_resolution(world: Any) -> None:
    m = roll_call(meeting(world.cell_a1))
    services.save_minutes(actor=superuser(), meeting=m, report="Báo cáo")
    with pytest.raises(ValidationError) as exc:
        services.approve_minutes(actor=superuser(), meeting=m)
    assert "chủ trì và thư ký" in " ".join(exc.value.messages)


def test_resolution_tasks_are_reviewed_at_the_next_meeting(world: Any) -> None:
    people = [world.person_a1, *members(world.cell_a1, 1)]
    first = roll_call(meeting(world.cell_a1, day=last_month(3)))
    task = services.add_resolution_task(actor=superuser(), meeting=first, title="Ra quân vệ sinh", assignee=people[1],
                                        due_on=last_month(20))
    with pytest.raises(ValidationError):
        services.add_resolution_task(actor=superuser(), meeting=first, title="x", due_on=last_month(1))
    following = services.schedule_meeting(actor=superuser(), organisation=world.cell_a1, starts_at=aware(
        timezone.localdate() - dt.timedelta(days=1) if timezone.localdate().day > 1 else timezone.localdate()),
        kind=MeetingKind.THEMATIC, topic="Chuyên đề", theme_kind="other")
    assert following.agenda.filter(kind=AgendaKind.REVIEW).exists()
    services.review_tasks(actor=superuser(), meeting=following,
                          outcomes=[{"task": task.pk, "outcome": "done", "note": "Xong"}])
    task.refresh_from_db()
    assert (task.outcome, task.reviewed_at_id) == (TaskOutcome.DONE, following.pk)
    with pytest.raises(ValidationError):
        services.review_tasks(actor=superuser(), meeting=following, outcomes=[{"task": task.pk, "outcome": "done"}])


def test_a_cancelled_meeting_frees_the_month_and_tells_those_notified(world: Any) -> None:
    UserFactory(username="member", person=members(world.cell_a1, 1)[0])
    m = meeting(world.cell_a1, day=next_month(), notify_members=True)
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=superuser(), meeting=m, reason="")
    services.cancel_meeting(actor=superuser(), meeting=m, reason="Trùng lịch bầu cử")
    assert Notification.objects.filter(title__startswith="Hủy kỳ sinh hoạt").exists()
    meeting(world.cell_a1, day=next_month(20))  # the month is free again


def test_the_home_page_shows_my_next_meeting(world: Any, client: Client) -> None:
    person = members(world.cell_a1, 1)[0]
    user = UserFactory(username="member", person=person)
    meeting(world.cell_a1, day=next_month(9))
    client.force_login(user)
    body = client.get(reverse("core:home")).content.decode()
    assert "Kỳ sinh hoạt tới của tôi" in body and next_month(9).strftime("%d/%m/%Y") in body


def test_meeting_pages_cost_the_same_queries_whatever_the_cells_size(world: Any, client: Client) -> None:
    """Query counts constant in the number of members (issue 11): a cell of 3 and one of 40."""
    counts = {}
    client.force_login(world.user("admin"))
    for cell, size in ((world.cell_a1, 3), (world.cell_a2, 40)):
        people = members(cell, size)
        m = roll_call(meeting(cell))
        services.save_minutes(actor=superuser(), meeting=m, chair=people[0], secretary=people[1], resolution="x",
                              remarks=[{"person": p.pk, "text": "Ý kiến"} for p in people[:3]])
        services.add_resolution_task(actor=superuser(), meeting=m, title="Việc", assignee=people[2])
        for name in ("meeting_detail", "attendance", "minutes_edit", "minutes_print"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(f"grassroots:{name}", args=[m.pk])).status_code == 200
            counts.setdefault(name, []).append(len(queries))
    assert all(small == big for small, big in counts.values()), counts


def test_the_history_of_a_meeting_shows_its_minutes_and_tasks(world: Any) -> None:
    people = [world.person_a1, *members(world.cell_a1, 1)]
    m = roll_call(meeting(world.cell_a1))
    _minutes(m, people)
    services.add_resolution_task(actor=superuser(), meeting=m, title="Ra quân")
    related = AuditEntry.objects.for_object(m)
    assert {e.content_type.model for e in related} >= {"meeting", "minutesversion", "resolutiontask"}
    assert ResolutionTask.objects.count() == 1


def test_the_ward_committee_is_a_unit_of_the_ceremony_not_of_meetings(world: Any) -> None:
    office = OrganisationFactory(name="Chi bộ Cơ quan", parent=world.ward_a)
    assert meeting(office, day=next_month()).organisation == office


def test_the_daily_command_sends_the_due_notices(world: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    UserFactory(username="member-cmd", person=members(world.cell_a1, 1)[0])
    services.schedule_meeting(actor=superuser(), organisation=world.cell_a1,
                              starts_at=timezone.now() + dt.timedelta(hours=20))
    out = StringIO()
    call_command("grassroots_notices", "--now", stdout=out)
    assert out.getvalue().strip() == "notified: 2"


def test_the_annual_evaluation_reads_the_cells_year_end_reviews(world: Any) -> None:
    from chithi.grassroots.selectors.members import year_end_reviews

    year = timezone.localdate().year - 1
    people = members(world.cell_a1, 2)
    for person in people:
        services.save_commitment(actor=superuser(), person=person, organisation=world.cell_a1, year=year,
                                 items=[{"text": "Tham gia sinh hoạt", "due_on": dt.date(year, 6, 30)}])
    first = services.save_commitment(actor=superuser(), person=world.person_a1, organisation=world.cell_a1, year=year,
                                     items=[{"text": "Gương mẫu", "due_on": dt.date(year, 12, 1)}])
    services.review_commitment(actor=world.user("cell_secretary"), commitment=first, grade="excellent")
    with pytest.raises(ValidationError):
        services.save_commitment(actor=superuser(), person=world.person_a1, organisation=world.cell_a1, year=year,
                                 items=[{"text": "Sửa sau khi đánh giá", "due_on": dt.date(year, 12, 1)}])
    assert year_end_reviews(user=world.user("leader"), unit=world.city, year=year) == {"excellent": 1, "": 2}
    assert year_end_reviews(user=world.user("other_secretary"), unit=world.city, year=year) == {}

"""The form pages end to end (POST through the real views and services): what a secretary, a ward officer and a
member do, and what they see when the service refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chithi.dialogues.models import Issue, IssueCategory
from chithi.grassroots import rules
from chithi.grassroots.models import (
    Commitment,
    FlagCeremony,
    Meeting,
    MeetingGuest,
    Reflection,
    Visit,
    WorkingGroup,
)
from chithi.orgs.tests.factories import UserFactory

from .factories import Grassroots, next_month


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_a_cell_secretary_schedules_and_changes_a_meeting(world: Any, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    when = timezone.make_aware(dt.datetime.combine(next_month(6), dt.time(19, 30)))
    response = client.post(reverse("grassroots:meeting_create"), {
        "organisation": world.cell_a1.pk, "kind": "regular", "starts_at": _local(when), "planned_minutes": 90,
        "place": "Nhà văn hóa"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    later = when + dt.timedelta(days=14)
    client.post(reverse("grassroots:meeting_edit", args=[meeting.pk]), {
        "kind": "regular", "starts_at": _local(later), "planned_minutes": 90, "place": "Hội trường"})
    meeting.refresh_from_db()
    assert (meeting.place, meeting.starts_at, meeting.period) == ("Hội trường", later, later.year * 100 + later.month)
    refused = client.post(reverse("grassroots:meeting_edit", args=[meeting.pk]), {
        "kind": "regular", "starts_at": _local(later), "planned_minutes": 45})
    assert refused.status_code == 200 and "ít nhất 90 phút" in refused.content.decode()


def test_a_ward_officer_sets_up_a_group_plans_a_visit_and_sends_a_concern_to_the_issues(
        world: Any, gw: Grassroots, client: Client) -> None:
    category = IssueCategory.objects.create(name="Hạ tầng", code="ha-tang")
    client.force_login(world.user("staff"))
    client.post(reverse("grassroots:group_create"), {
        "organisation": world.ward_a.pk, "name": "Tổ công tác số 2", "starts_on": "2026-01-01",
        "leader": gw.members[0].pk, "members": [gw.members[1].pk], "followed_units": [world.cell_a1.pk]})
    group = WorkingGroup.objects.get(name="Tổ công tác số 2")
    assert set(group.members.values_list("role", flat=True)) == {"leader", "member"}
    soon = timezone.now() + dt.timedelta(days=2)
    client.post(reverse("grassroots:visit_plan", args=[group.pk]), {
        "household": gw.household.pk, "starts_at": _local(soon), "visitors": [gw.members[1].pk]})
    assert Visit.objects.filter(group=group).count() == 1
    client.post(reverse("grassroots:concern_raise", args=[gw.concern.pk]), {
        "category": category.pk, "organisation": world.ward_a.pk})
    assert Issue.objects.get().channel == "visit"
    client.post(reverse("grassroots:group_attendance", args=[gw.group.pk]), {
        "meeting": gw.meeting.pk, "people": [gw.members[0].pk]})
    assert MeetingGuest.objects.filter(group=gw.group).count() == 1


def test_a_member_writes_their_commitment_and_reflection(world: Any, gw: Grassroots, client: Client) -> None:
    person = gw.members[3]
    member = UserFactory(username="member-page", person=person)
    client.force_login(member)
    year = timezone.localdate().year
    response = client.post(reverse("grassroots:commitment_create"), {
        "organisation": world.cell_a1.pk, "year": year, "text_0": "Vận động 5 hộ phân loại rác",
        "due_0": f"{year}-12-31"})
    commitment = Commitment.objects.get(person=person)
    assert response.status_code == 302
    quarter = (timezone.localdate().month - 1) // 3 + 1
    client.post(reverse("grassroots:reflection_write", args=[commitment.pk]), {
        "quarter": quarter, "assessment": "on_track", "text": "Đã vận động đủ 5 hộ trong quý."})
    assert Reflection.objects.get(commitment=commitment).quarter == quarter
    assert client.get(reverse("grassroots:commitment_review", args=[commitment.pk])).status_code == 404


def test_a_ward_officer_records_the_flag_ceremony_from_a_phone(world: Any, client: Client) -> None:
    client.force_login(world.user("staff"))
    today = timezone.localdate()
    year, month = today.year, today.month
    if rules.flag_day(year, month) > today:
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    day = rules.flag_day(year, month)
    url = reverse("grassroots:ceremony_record", args=[world.ward_a.pk]) + f"?month={year}-{month:02d}"
    assert day.strftime("%d/%m/%Y") in client.get(url).content.decode()
    client.post(url, {"status": "held", "held_on": day.isoformat(), "start_time": "07:00", "attendance": 31,
                      "topic": "Thông tin thời sự"})
    assert FlagCeremony.objects.get().attendance == 31
    refused = client.get(reverse("grassroots:ceremony_record", args=[world.cell_a1.pk]))
    assert refused.status_code == 302  # a residential cell holds no ceremony: back, with the reason


def test_the_feed_page_shows_a_new_address_once(world: Any, client: Client) -> None:
    client.force_login(world.user("secretary"))
    page = client.post(reverse("grassroots:feed_settings"), {"action": "new"}).content.decode()
    assert "/lich/ical/" in page
    again = client.get(reverse("grassroots:feed_settings")).content.decode()
    assert "/lich/ical/" not in again and "đang hoạt động" in again


def test_the_roll_up_goes_up_only_to_a_unit_the_reader_may_open(world: Any, client: Client) -> None:
    up = f'href="?unit={world.city.pk}&amp;'
    client.force_login(world.user("secretary"))
    assert up not in client.get(reverse("grassroots:rollup")).content.decode()
    client.force_login(world.user("leader"))
    assert up in client.get(reverse("grassroots:rollup"), {"unit": world.ward_a.pk}).content.decode()

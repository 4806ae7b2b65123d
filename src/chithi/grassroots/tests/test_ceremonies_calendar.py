"""Flag ceremonies (recorded, not held, missing in the parent's view), the roll-up by unit, calendars and the
private iCalendar feed (a revoked token is a 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from chithi.grassroots import rules, services
from chithi.grassroots.models import CalendarFeed, FlagCeremony
from chithi.grassroots.selectors import ceremonies, rollup
from chithi.orgs.models import OrgKind
from chithi.orgs.tests.factories import OrganisationFactory, superuser

from .factories import Grassroots, last_flag_month, last_month, meeting, members, roll_call


def test_a_unit_that_recorded_nothing_is_missing_in_its_parents_view(world: Any, client: Client) -> None:
    office = OrganisationFactory(name="Văn phòng Đảng ủy", kind=OrgKind.DEPARTMENT, parent=world.ward_a)
    police = OrganisationFactory(name="Công an phường", kind=OrgKind.AGENCY, parent=world.ward_a)
    year, month = last_flag_month()
    services.record_ceremony(actor=world.user("staff"), organisation=office, year=year, month=month,
                             held_on=rules.flag_day(year, month), attendance=24, topic="Thời sự trong tỉnh")
    services.record_ceremony(actor=world.user("staff"), organisation=world.ward_a, year=year, month=month,
                             status="not_held", reason="Trùng hội nghị của tỉnh")
    _day, rows = ceremonies.board(root=world.ward_a, year=year, month=month)
    states = {row.unit.name: row.state for row in rows}
    assert states == {world.ward_a.name: "not_held", office.name: "held", police.name: "missing"}
    client.force_login(world.user("secretary"))
    body = client.get(reverse("grassroots:ceremony_board"), {"unit": world.ward_a.pk,
                                                             "month": f"{year}-{month:02d}"}).content.decode()
    assert "chưa báo cáo" in body and "Công an phường" in body
    assert '<span class="state-missing">1 chưa báo cáo</span>' in body


def test_a_count_of_zero_on_the_ceremony_board_is_not_an_alarm(world: Any, client: Client) -> None:
    """Seen in the demo: "0 chưa báo cáo" stood in bold red when every unit had reported."""
    year, month = last_flag_month()
    for unit in (world.ward_a,):
        services.record_ceremony(actor=world.user("staff"), organisation=unit, year=year, month=month,
                                 held_on=rules.flag_day(year, month), attendance=24, topic="Thời sự trong tỉnh")
    client.force_login(world.user("secretary"))
    body = client.get(reverse("grassroots:ceremony_board"), {"unit": world.ward_a.pk,
                                                             "month": f"{year}-{month:02d}"}).content.decode()
    assert "<span>0 chưa báo cáo</span>" in body and "<span>0 không tổ chức</span>" in body
    assert '<span class="state-held">1 đã tổ chức</span>' in body


def test_recording_a_ceremony_refuses_bad_dates_and_corrects_on_a_second_record(world: Any) -> None:
    year, month = last_flag_month()
    day = rules.flag_day(year, month)
    with pytest.raises(ValidationError) as exc:
        services.record_ceremony(actor=superuser(), organisation=world.ward_a, year=year, month=month,
                                 held_on=day + dt.timedelta(days=40), attendance=10, topic="x")
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_ceremony(actor=superuser(), organisation=world.cell_a1, year=year, month=month,
                                 held_on=day, attendance=10, topic="x")
    assert "không tổ chức chào cờ" in " ".join(exc.value.messages)
    future = rules.add_months(timezone.localdate().replace(day=1), 2)
    with pytest.raises(ValidationError):
        services.record_ceremony(actor=superuser(), organisation=world.ward_a, year=future.year,
                                 month=future.month, status="not_held", reason="Chưa biết")
    first = services.record_ceremony(actor=superuser(), organisation=world.ward_a, year=year, month=month,
                                     held_on=day, attendance=10, topic="Thời sự")
    second = services.record_ceremony(actor=superuser(), organisation=world.ward_a, year=year, month=month,
                                      held_on=day, attendance=12, topic="Thời sự")
    assert first.pk == second.pk and FlagCeremony.objects.get().attendance == 12
    assert second.start_time == rules.flag_time()


def test_the_roll_up_counts_attendance_and_ceremonies_by_sub_unit(world: Any) -> None:
    members(world.cell_a1, 3)
    people_b = members(world.cell_b1, 4)
    roll_call(meeting(world.cell_a1))
    roll_call(meeting(world.cell_b1), {people_b[0].pk: "excused"})
    year, month = last_flag_month()
    services.record_ceremony(actor=superuser(), organisation=world.ward_a, year=year, month=month,
                             held_on=rules.flag_day(year, month), attendance=10, topic="Thời sự")
    total, rows = rollup.by_unit(user=world.user("admin"), focus=world.city, year=last_month().year)
    by_name = {row.unit.name: row for row in rows}
    ward_a, ward_b = by_name[world.ward_a.name], by_name[world.ward_b.name]
    assert (ward_a.cells, ward_a.regular, ward_a.present, ward_a.expected) == (2, 1, 4, 4)
    assert (ward_b.cells, ward_b.regular, ward_b.present, ward_b.expected) == (1, 1, 4, 5)
    assert ward_b.attendance_rate == 80.0
    assert ward_a.flags_held == 1 and ward_a.flag_units == 1 and ward_b.flags_held == 0
    assert total.present == 8 and total.expected == 9
    assert ward_b.flags_missing == ward_b.flags_due


def test_the_private_feed_lists_my_events_and_a_revoked_token_is_a_404(world: Any, gw: Grassroots,
                                                                        client: Client) -> None:
    from chithi.orgs.tests.factories import UserFactory

    user = UserFactory(username="member-feed", person=gw.members[1])
    token = services.issue_feed(actor=user)
    url = reverse("grassroots:ical_feed", args=[token])
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert any("Sinh hoạt thường kỳ" in s for s in summaries)
    assert "Nguyễn Thị Riêng" not in response.content.decode()  # no resident's name in a feed
    new_token = services.issue_feed(actor=user)
    assert Client().get(url).status_code == 404  # the old one is revoked by the new
    assert Client().get(reverse("grassroots:ical_feed", args=[new_token])).status_code == 200
    client.force_login(user)
    client.post(reverse("grassroots:feed_settings"), {"action": "revoke"})
    assert Client().get(reverse("grassroots:ical_feed", args=[new_token])).status_code == 404
    assert CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() == 0
    assert Client().get(reverse("grassroots:ical_feed", args=["nonsense"])).status_code == 404


def test_calendars_show_a_month_and_an_agenda_within_scope(world: Any, gw: Grassroots, client: Client) -> None:
    month = f"{gw.meeting.local_date():%Y-%m}"
    client.force_login(world.user("secretary"))
    grid = client.get(reverse("grassroots:unit_calendar", args=[world.ward_a.pk]), {"month": month}).content.decode()
    assert gw.meeting.get_absolute_url() in grid and "cal-grid" in grid
    agenda = client.get(reverse("grassroots:person_calendar", args=[gw.members[0].pk]),
                        {"month": month, "view": "agenda"}).content.decode()
    assert gw.meeting.get_absolute_url() in agenda and "cal-grid" not in agenda
    client.force_login(world.user("other_secretary"))
    assert client.get(reverse("grassroots:unit_calendar", args=[world.ward_a.pk])).status_code == 404
    assert client.get(reverse("grassroots:person_calendar", args=[gw.members[0].pk])).status_code == 404


def test_the_organisation_page_shows_next_meeting_attendance_and_visits(world: Any, gw: Grassroots,
                                                                        client: Client) -> None:
    client.force_login(world.user("secretary"))
    body = client.get(world.cell_a1.get_absolute_url()).content.decode()
    assert "Tỷ lệ dự sinh hoạt 12 tháng" in body and "100,0%" in body
    assert gw.upcoming.get_absolute_url() in body
    assert "Buổi gặp hộ dân quý này" in body

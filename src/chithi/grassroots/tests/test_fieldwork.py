"""Working groups, household visits, concerns that become citizen issues (linked both ways), help at home, the
XLSX exports — and residents' details kept off public pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chithi.core.models import AuditEntry
from chithi.dialogues.models import Issue, IssueCategory
from chithi.grassroots import services
from chithi.grassroots.models import GroupRole, HelpOutcome, HomeHelpRequest, MeetingGuest, Visit, VisitStatus
from chithi.orgs.tests.factories import OrganisationFactory, superuser

from .factories import Grassroots, members, procedure


@pytest.fixture
def category(db: Any) -> IssueCategory:
    return IssueCategory.objects.create(name="Hạ tầng, chiếu sáng", code="ha-tang", answer_days=10)


def test_a_visit_in_a_residential_area_outside_the_group_is_refused(world: Any, gw: Grassroots) -> None:
    elsewhere = OrganisationFactory(name="Chi bộ Khu phố 9", parent=world.ward_b, residential=True)
    household = services.create_household(actor=superuser(), residential_area=elsewhere, head_name="Trần Văn Xa",
                                          address="3 Lê Lợi")
    before = Visit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.plan_visit(actor=superuser(), group=gw.group, household=household,
                            starts_at=timezone.now() + dt.timedelta(days=1))
    assert "nằm ngoài địa bàn tổ theo dõi" in " ".join(exc.value.message_dict["household"])
    assert Visit.objects.count() == before


def test_only_group_members_go_and_only_within_the_groups_period(world: Any, gw: Grassroots) -> None:
    stranger = members(world.cell_a2, 1)[0]
    with pytest.raises(ValidationError) as exc:
        services.plan_visit(actor=superuser(), group=gw.group, household=gw.household,
                            starts_at=timezone.now() + dt.timedelta(days=1), visitors=[stranger])
    assert "visitors" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.plan_visit(actor=superuser(), group=gw.group, household=gw.household,
                            starts_at=timezone.make_aware(dt.datetime(2019, 6, 1, 9)))
    assert "starts_at" in exc.value.message_dict


def test_a_household_lives_in_a_residential_area_and_keeps_no_id_number(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_household(actor=superuser(), residential_area=world.cell_a2, head_name="X", address="1 A",
                                  phone="12ab")
    assert {"residential_area", "phone"} <= set(exc.value.message_dict)


def test_a_concern_becomes_a_citizen_issue_in_one_action_linked_both_ways(
        world: Any, gw: Grassroots, category: IssueCategory, client: Client) -> None:
    issue = services.raise_issue(actor=world.user("secretary"), concern=gw.concern, category=category)
    assert (issue.channel, issue.organisation, issue.reporter_name) == ("visit", world.ward_a, "Nguyễn Thị Riêng")
    assert issue.description == gw.concern.description and issue.received_at == gw.visit.starts_at
    gw.concern.refresh_from_db()
    assert gw.concern.issue == issue
    with pytest.raises(ValidationError):
        services.raise_issue(actor=world.user("secretary"), concern=gw.concern, category=category)
    assert Issue.objects.count() == 1
    client.force_login(world.user("secretary"))
    issue_page = client.get(reverse("dialogues:issue_detail", args=[issue.pk])).content.decode()
    assert "Phát sinh từ buổi gặp hộ dân" in issue_page and gw.visit.get_absolute_url() in issue_page
    visit_page = client.get(gw.visit.get_absolute_url()).content.decode()
    assert issue.display_code in visit_page
    assert AuditEntry.objects.for_object(issue).filter(content_type__model="concern").exists()


def test_the_issue_link_is_hidden_from_who_cannot_see_the_issue(world: Any, gw: Grassroots,
                                                                 category: IssueCategory, client: Client) -> None:
    issue = services.raise_issue(actor=world.user("secretary"), concern=gw.concern, category=category,
                                 organisation=world.ward_a)
    client.force_login(world.user("cell_secretary"))  # sees the visit (their area), not the ward's issue queue
    body = client.get(gw.visit.get_absolute_url()).content.decode()
    assert issue.display_code not in body and "đã chuyển thành phản ánh" in body


def test_a_visit_is_recorded_once_it_has_taken_place(world: Any, gw: Grassroots) -> None:
    planned = services.plan_visit(actor=superuser(), group=gw.group, household=gw.household,
                                  starts_at=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.record_visit(actor=superuser(), visit=planned, raised="x")
    done = services.record_visit(actor=superuser(), visit=gw.visit, situation="Ổn định",
                                 visitors=[gw.members[0]])
    assert done.status == VisitStatus.DONE
    services.cancel_visit(actor=superuser(), visit=planned)
    with pytest.raises(ValidationError):
        services.cancel_visit(actor=superuser(), visit=Visit.objects.get(pk=planned.pk))


def test_the_group_records_its_attendance_at_a_cell_meeting(world: Any, gw: Grassroots) -> None:
    guests = services.record_group_attendance(actor=world.user("secretary"), group=gw.group, meeting=gw.meeting,
                                              people=[gw.members[0]])
    assert [(g.name, g.group) for g in guests] == [(gw.members[0].full_name, gw.group)]
    assert services.record_group_attendance(actor=world.user("secretary"), group=gw.group, meeting=gw.meeting,
                                            people=[gw.members[0]]) == []  # once
    outside = services.create_group(actor=superuser(), organisation=world.ward_b, name="Tổ B",
                                    starts_on=dt.date(2020, 1, 1), members=[(gw.members[0], GroupRole.LEADER)],
                                    followed_units=[world.cell_b1])
    with pytest.raises(ValidationError) as exc:
        services.record_group_attendance(actor=superuser(), group=outside, meeting=gw.meeting,
                                         people=[gw.members[0]])
    assert "không thuộc các đơn vị tổ theo dõi" in " ".join(exc.value.message_dict["meeting"])
    assert MeetingGuest.objects.filter(meeting=gw.meeting).count() == 1


def test_a_home_help_slot_in_the_past_is_refused(world: Any, gw: Grassroots) -> None:
    before = HomeHelpRequest.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_request(actor=world.user("staff"), organisation=gw.police, household=gw.household,
                                procedure=procedure(), channel="phone", reason="ill", officer=gw.officer,
                                slot_start=timezone.now() - dt.timedelta(hours=1))
    assert "Giờ hẹn đã qua" in " ".join(exc.value.message_dict["slot_start"])
    with pytest.raises(ValidationError) as exc:
        services.create_request(actor=world.user("staff"), organisation=gw.police, household=gw.household,
                                procedure=procedure(), channel="visit", reason="other", officer=gw.members[0],
                                slot_start=timezone.now() + dt.timedelta(days=2))
    assert {"visit", "reason_note", "officer"} <= set(exc.value.message_dict)
    assert HomeHelpRequest.objects.count() == before


def test_the_outcome_waits_for_the_appointment_then_closes_the_request(world: Any, gw: Grassroots) -> None:
    with pytest.raises(ValidationError):
        services.record_outcome(actor=world.user("staff"), request=gw.request, outcome="done")
    HomeHelpRequest.objects.filter(pk=gw.request.pk).update(slot_start=timezone.now() - dt.timedelta(minutes=5))
    request = HomeHelpRequest.objects.get(pk=gw.request.pk)
    with pytest.raises(ValidationError):
        services.record_outcome(actor=world.user("staff"), request=request, outcome="referred")  # needs a note
    with pytest.raises(ValidationError):
        services.record_outcome(actor=world.user("staff"), request=request, outcome="done", satisfaction=7)
    done = services.record_outcome(actor=world.user("staff"), request=request, outcome="done", satisfaction=5,
                                   keep_note="Kích hoạt trên số 0905 111 222")
    assert (done.outcome, done.satisfaction) == (HelpOutcome.DONE, 5)
    with pytest.raises(ValidationError):
        services.reschedule_request(actor=world.user("staff"), request=done,
                                    slot_start=timezone.now() + dt.timedelta(days=1))


def test_a_units_list_shows_what_is_due_this_week(world: Any, gw: Grassroots, client: Client) -> None:
    later = services.create_request(actor=superuser(), organisation=gw.police, household=gw.household,
                                    procedure=procedure(), channel="phone", reason="elderly", officer=gw.officer,
                                    slot_start=timezone.now() + dt.timedelta(days=20), resident_name="Người Sau")
    client.force_login(world.user("staff"))
    url = reverse("grassroots:homehelp_list")
    this_week = client.get(url, {"unit": gw.police.pk}).content.decode()
    everything = client.get(url, {"unit": gw.police.pk, "when": "all"}).content.decode()
    assert later.get_absolute_url() not in this_week and later.get_absolute_url() in everything
    start = timezone.localtime(HomeHelpRequest.objects.get(pk=gw.request.pk).slot_start).date()
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    assert (gw.request.get_absolute_url() in this_week) == (start < monday + dt.timedelta(days=7))


def test_the_whole_list_gives_each_appointment_its_year(world: Any, gw: Grassroots, client: Client) -> None:
    """Seen in the demo: "Tất cả" listed "Thứ 6 19/12 16:00" first, an appointment of the year before."""
    client.force_login(world.user("staff"))
    page = client.get(reverse("grassroots:homehelp_list"), {"unit": gw.police.pk, "when": "all"}).content.decode()
    slot = timezone.localtime(HomeHelpRequest.objects.get(pk=gw.request.pk).slot_start)
    assert slot.strftime("%d/%m/%Y %H:%M") in page


def test_visits_and_attendance_export_as_xlsx(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("secretary"))
    response = client.get(reverse("grassroots:visit_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Ngày" and rows[1][3] == "Nguyễn Thị Riêng"
    response = client.get(reverse("grassroots:attendance_export"), {"unit": world.cell_a1.pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + gw.meeting.roster + gw.closed.roster and {r[5] for r in rows[1:]} == {"Có mặt"}
    client.force_login(world.user("other_secretary"))
    rows = list(load_workbook(io.BytesIO(client.get(reverse("grassroots:visit_export")).content))
                .active.iter_rows(values_only=True))
    assert len(rows) == 1  # another ward's scope: headers only


def test_a_merger_moves_the_cells_future_meetings_and_households(world: Any, gw: Grassroots) -> None:
    from chithi.orgs import services as orgs

    orgs.merge_organisations(actor=superuser(), sources=[world.cell_a1], target=world.cell_a2,
                             effective_on=timezone.localdate())
    gw.upcoming.refresh_from_db()
    gw.household.refresh_from_db()
    gw.meeting.refresh_from_db()
    assert gw.upcoming.organisation == world.cell_a2
    assert gw.meeting.organisation == world.cell_a1  # what happened stays with the old cell
    assert gw.household.residential_area == world.cell_a1  # cell A2 is no residential area


def test_the_list_of_procedures_is_edited_by_a_system_administrator_through_the_admin(world: Any,
                                                                                       client: Client) -> None:
    from django.core.exceptions import PermissionDenied

    from chithi.grassroots.models import Procedure

    with pytest.raises(PermissionDenied):
        services.save_procedure(actor=world.user("admin"), code="cap-so", name="Cấp sổ")
    client.force_login(superuser())
    url = reverse("admin:grassroots_procedure_add")
    refused = client.post(url, {"code": "Cấp Sổ!", "name": "Cấp sổ", "active": "on", "position": 9})
    assert refused.status_code == 200 and not Procedure.objects.filter(name="Cấp sổ").exists()
    client.post(url, {"code": "cap-so", "name": "Cấp sổ hộ nghèo", "active": "on", "position": 9})
    created = Procedure.objects.get(code="cap-so")
    assert AuditEntry.objects.for_object(created).exists()

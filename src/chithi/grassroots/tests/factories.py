"""Test data for the grassroots room, written through the services (so derived figures are real): a cell with
members, a held meeting with its roll call and draft minutes, a working group with a visit and a concern, a
household, a home-help request, a flag ceremony and a commitment, all in ward A of the shared `world`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chithi.orgs.models import Organisation, OrgKind, Person
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory, superuser

from .. import rules, services
from ..models import (
    Commitment,
    Concern,
    FlagCeremony,
    GroupRole,
    HomeHelpRequest,
    Household,
    Meeting,
    Procedure,
    Visit,
    WorkingGroup,
)


def aware(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def last_flag_month() -> tuple[int, int]:
    """The latest month whose ceremony day has come."""
    today = timezone.localdate()
    year, month = today.year, today.month
    if rules.flag_day(year, month) > today:
        previous = today.replace(day=1) - dt.timedelta(days=1)
        year, month = previous.year, previous.month
    return year, month


def last_month(day: int = 8) -> dt.date:
    first = timezone.localdate().replace(day=1)
    previous = first - dt.timedelta(days=1)
    return previous.replace(day=day)


def next_month(day: int = 8) -> dt.date:
    first = timezone.localdate().replace(day=1)
    return (first + dt.timedelta(days=32)).replace(day=day)


def members(cell: Organisation, count: int, *, prefix: str = "Thành viên") -> list[Person]:
    return [PersonFactory(full_name=f"{prefix} {cell.pk}-{n}", organisation=cell, since=dt.date(2015, 1, 1),
                          party_joined_on=dt.date(2010, 1, 1)) for n in range(count)]


def meeting(cell: Organisation, *, day: dt.date | None = None, **kwargs: Any) -> Meeting:
    return services.schedule_meeting(actor=superuser(), organisation=cell, starts_at=aware(day or last_month()),
                                     place="Nhà văn hóa", **kwargs)


def roll_call(m: Meeting, statuses: dict[int, str] | None = None) -> Meeting:
    """Everyone present unless `statuses` says otherwise ({person pk: status})."""
    from ..selectors.meetings import roster

    entries = []
    for entry in roster(cell=m.organisation, day=m.local_date()):
        status = (statuses or {}).get(entry.person.pk, "exempt" if entry.exempt else "present")
        entries.append({"person": entry.person.pk, "status": status, "reason": "work" if status == "excused" else ""})
    return services.record_attendance(actor=superuser(), meeting=m, entries=entries)


def procedure() -> Procedure:
    return Procedure.objects.get_or_create(code="vneid", defaults={"name": "Kích hoạt VNeID"})[0]


@dataclass
class Grassroots:
    """One of everything, in ward A (cell A1 is residential; police is ward A's agency)."""

    meeting: Meeting
    upcoming: Meeting
    group: WorkingGroup
    household: Household
    visit: Visit
    concern: Concern
    request: HomeHelpRequest
    started_request: HomeHelpRequest  # its appointment has begun: the outcome can be recorded
    closed: Meeting  # a thematic meeting whose minutes are approved
    ceremony: FlagCeremony
    commitment: Commitment
    old_commitment: Commitment  # last year's: its year-end review is open
    police: Organisation
    officer: Person
    members: list[Person]


def grassroots(world: Any) -> Grassroots:
    """Built once per test (cached on the world)."""
    cached = getattr(world, "_grassroots", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    root = superuser()
    people = [world.person_a1, *members(world.cell_a1, 3)]
    held = roll_call(meeting(world.cell_a1))
    services.save_minutes(actor=root, meeting=held, chair=people[0], secretary=people[1],
                          resolution="Chi bộ thống nhất các nhiệm vụ tháng tới.",
                          remarks=[{"person": people[2].pk, "text": "Đề nghị sửa đèn đường kiệt 12."}])
    upcoming = meeting(world.cell_a1, day=next_month())
    police = OrganisationFactory(name="Công an phường Đông Thanh", kind=OrgKind.AGENCY, parent=world.ward_a,
                                 code="CA-A")
    officer = PersonFactory(full_name="Hồ Văn Cảnh", organisation=police, position="Cán bộ")
    group = services.create_group(actor=root, organisation=world.ward_a, name="Tổ công tác phường Đông Thanh",
                                  starts_on=dt.date(2020, 1, 1), members=[(people[0], GroupRole.LEADER)],
                                  followed_units=[world.ward_a])
    household = services.create_household(actor=root, residential_area=world.cell_a1, head_name="Nguyễn Thị Riêng",
                                          address="17 Hẻm Lê Lợi", phone="0905111222", elderly=True)
    visit = services.plan_visit(actor=root, group=group, household=household,
                                starts_at=timezone.now() - dt.timedelta(days=2), visitors=[people[0]])
    concern = services.add_concern(actor=root, visit=visit, description="Cống thoát nước trước nhà bị tắc.")
    request = services.create_request(actor=root, organisation=police, household=household, procedure=procedure(),
                                      channel="phone", reason="elderly", officer=officer,
                                      slot_start=timezone.now() + dt.timedelta(days=1))
    started_request = services.create_request(actor=root, organisation=police, household=household,
                                              procedure=procedure(), channel="phone", reason="ill", officer=officer,
                                              slot_start=timezone.now() + dt.timedelta(hours=1))
    HomeHelpRequest.objects.filter(pk=started_request.pk).update(slot_start=timezone.now() - dt.timedelta(hours=1))
    started_request.refresh_from_db()
    closed = roll_call(services.schedule_meeting(actor=root, organisation=world.cell_a1,
                                                 starts_at=aware(last_month(20)), kind="thematic",
                                                 topic="Làm theo Bác", theme_kind="ho_chi_minh"))
    services.save_minutes(actor=root, meeting=closed, chair=people[0], secretary=people[1], resolution="Thống nhất.")
    services.approve_minutes(actor=root, meeting=closed)
    ceremony = services.record_ceremony(actor=root, organisation=world.ward_a, year=last_month().year,
                                        month=last_month().month, held_on=None, status="not_held",
                                        reason="Trùng hội nghị của tỉnh")
    commitment = services.save_commitment(actor=root, person=people[1], organisation=world.cell_a1,
                                          year=timezone.localdate().year,
                                          items=[{"text": "Vận động 5 hộ phân loại rác",
                                                  "due_on": dt.date(timezone.localdate().year, 12, 31)}])
    year = timezone.localdate().year - 1
    old_commitment = services.save_commitment(
        actor=root, person=people[2], organisation=world.cell_a1, year=year,
        items=[{"text": "Tham gia đầy đủ sinh hoạt", "due_on": dt.date(year, 12, 31)}])
    built = Grassroots(meeting=held, upcoming=upcoming, group=group, household=household, visit=visit,
                       concern=concern, request=request, started_request=started_request, closed=closed,
                       ceremony=ceremony, commitment=commitment,
                       old_commitment=old_commitment, police=police, officer=officer, members=people)
    world._grassroots = built
    return built

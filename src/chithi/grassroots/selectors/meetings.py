"""Reads for cell meetings: the scoped lists, one meeting's page in a fixed number of queries, the roster of a
cell on a date (official, probationary, exempt), a member's next meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from chithi.core.permissions import Action, get_scoped_or_404, restrict
from chithi.orgs.models import Membership, Organisation, Person

from .. import rules
from ..models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingGuest,
    MeetingStatus,
    MinutesVersion,
    PartyStanding,
    ResolutionTask,
    TaskOutcome,
)


def visible_meetings(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Meeting]:
    return restrict(Meeting.objects.select_related("organisation"), user, action)


def meeting_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Meeting:
    return get_scoped_or_404(Meeting.objects.select_related("organisation", "organisation__parent"), user, action,
                             pk=pk)


@dataclass
class RosterEntry:
    person: Person
    position: str
    probationary: bool
    exempt: bool


def _standing(person: Person) -> PartyStanding | None:
    try:
        return person.party_standing  # type: ignore[attr-defined,no-any-return]
    except PartyStanding.DoesNotExist:
        return None


def standing_on(person: Person, day: dt.date) -> tuple[bool, bool]:
    """(probationary, exempt) for a party member on a day."""
    standing = _standing(person)
    official = rules.official_on(joined_on=person.party_joined_on,
                                 recorded=standing.official_on if standing else None)
    probationary = official is not None and day < official
    exempt = bool(standing and standing.exempt_from and standing.exempt_from <= day
                  and (standing.exempt_until is None or standing.exempt_until >= day))
    return probationary, exempt


def members_on_q(day: dt.date) -> Q:
    """Memberships current on a day (`until` is the last day of a membership)."""
    return (Q(since__isnull=True) | Q(since__lte=day)) & (Q(until__isnull=True) | Q(until__gte=day))


def roster(*, cell: Organisation, day: dt.date) -> list[RosterEntry]:
    """The party members of a cell on a day, in Vietnamese name order; one query whatever the cell's size."""
    rows = (Membership.objects.filter(members_on_q(day), organisation=cell, person__is_party_member=True)
            .filter(Q(person__party_joined_on__isnull=True) | Q(person__party_joined_on__lte=day))
            .select_related("person", "person__party_standing").order_by("person__sort_key", "person_id", "id"))
    entries: dict[int, RosterEntry] = {}
    for membership in rows:
        if membership.person_id in entries:
            continue
        probationary, exempt = standing_on(membership.person, day)
        entries[membership.person_id] = RosterEntry(membership.person, membership.position, probationary, exempt)
    return list(entries.values())


def attendance_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("person").order_by("person__sort_key", "person_id"))


@dataclass
class MeetingPage:
    """Everything a meeting's page shows, read in a fixed number of queries."""

    meeting: Meeting
    agenda: list[AgendaItem]
    attendance: list[Attendance]
    guests: list[MeetingGuest]
    versions: list[MinutesVersion]
    tasks: list[ResolutionTask]
    to_review: list[ResolutionTask]
    reviewed: list[ResolutionTask]

    @property
    def minutes(self) -> MinutesVersion | None:
        return self.versions[0] if self.versions else None


def previous_open_tasks(meeting: Meeting) -> QuerySet[ResolutionTask]:
    """Tasks of the cell's earlier meetings not reviewed yet: what this meeting reviews."""
    return (ResolutionTask.objects.filter(meeting__organisation_id=meeting.organisation_id,
                                          meeting__starts_at__lt=meeting.starts_at, outcome=TaskOutcome.OPEN)
            .exclude(meeting__status=MeetingStatus.CANCELLED).select_related("assignee", "meeting")
            .order_by("meeting__starts_at", "id"))


def meeting_page(*, meeting: Meeting) -> MeetingPage:
    """Seven queries whatever the cell's size: the agenda, the minutes' versions, the roll call, the guests, and one
    for the resolution tasks (this meeting's, those it reviewed, and the earlier ones it should review)."""
    agenda = list(meeting.agenda.select_related("plan_task").order_by("position", "id"))
    versions = list(meeting.minutes.select_related("chair", "secretary").order_by("-number"))
    meeting.__dict__["_latest_minutes"] = [versions[0] if versions else None]  # policy.latest_minutes reads it
    earlier_open = Q(meeting__organisation_id=meeting.organisation_id, meeting__starts_at__lt=meeting.starts_at,
                     outcome=TaskOutcome.OPEN) & ~Q(meeting__status=MeetingStatus.CANCELLED)
    tasks = list(ResolutionTask.objects.filter(Q(meeting=meeting) | Q(reviewed_at=meeting) | earlier_open)
                 .select_related("assignee", "meeting").order_by("meeting__starts_at", "id"))
    return MeetingPage(
        meeting=meeting, agenda=agenda, attendance=attendance_of(meeting),
        guests=list(meeting.guests.select_related("group").order_by("id")), versions=versions,
        tasks=[t for t in tasks if t.meeting_id == meeting.pk],
        to_review=[t for t in tasks if t.meeting_id != meeting.pk and t.outcome == TaskOutcome.OPEN],
        reviewed=[t for t in tasks if t.reviewed_at_id == meeting.pk],
    )


def minutes_version(*, meeting: Meeting, number: int | None = None) -> MinutesVersion | None:
    versions = meeting.minutes.select_related("chair", "secretary", "approved_by")
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def current_plan_tasks(*, user: Any, cell: Organisation) -> QuerySet[Any]:
    """The open tasks of the cell's own plans that the user may see: what can be put on an agenda."""
    from chithi.campaigns.models import OPEN_STATUSES, PlanTask

    return restrict(PlanTask.objects.filter(plan__organisation=cell, status__in=OPEN_STATUSES,
                                            plan__closed_on__isnull=True), user, Action.VIEW).order_by("deadline", "id")


def own_cells(user: Any, day: dt.date) -> QuerySet[Any]:
    """The ids of the cells the user's person belongs to on `day` (none for an account without a person)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Membership.objects.none().values("organisation_id")
    return Membership.objects.filter(members_on_q(day), person_id=person_id).values("organisation_id")


def next_meetings_for_person(person: Person, *, limit: int = 3) -> list[Meeting]:
    """The person's cells' next scheduled meetings (the cells they belong to today)."""
    today = timezone.localdate()
    cells = Membership.objects.filter(members_on_q(today), person=person).values("organisation_id")
    return list(Meeting.objects.filter(organisation_id__in=cells, status=MeetingStatus.SCHEDULED,
                                       starts_at__gte=timezone.now() - dt.timedelta(hours=3))
                .select_related("organisation").order_by("starts_at")[:limit])


def agenda_prefetch() -> Prefetch[Any]:
    return Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "id"))

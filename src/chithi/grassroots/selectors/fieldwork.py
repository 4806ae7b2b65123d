"""Reads for working groups, households, visits and home-help requests, always through restrict()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chithi.core.permissions import Action, get_scoped_or_404, path_q, restrict
from chithi.orgs.models import Membership, Organisation, Person

from ..models import (
    Concern,
    GroupMember,
    HomeHelpRequest,
    Household,
    Meeting,
    MeetingGuest,
    Procedure,
    Visit,
    WorkingGroup,
)
from .meetings import members_on_q


def visible_groups(user: Any, action: Action | str = Action.VIEW) -> QuerySet[WorkingGroup]:
    return restrict(WorkingGroup.objects.select_related("organisation"), user, action)


def group_detail(*, user: Any, pk: int) -> WorkingGroup:
    return get_scoped_or_404(WorkingGroup.objects.select_related("organisation"), user, Action.VIEW, pk=pk)


def group_members(group: WorkingGroup) -> list[GroupMember]:
    return list(group.members.select_related("person").order_by("role", "person__sort_key"))


def group_meetings(*, user: Any, group: WorkingGroup) -> list[MeetingGuest]:
    """The meetings the group attended, as far as the user may see them."""
    meetings = restrict(Meeting.objects.all(), user, Action.VIEW)
    return list(MeetingGuest.objects.filter(group=group, meeting__in=meetings)
                .select_related("meeting", "meeting__organisation").order_by("-meeting__starts_at", "id"))


def visible_households(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Household]:
    return restrict(Household.objects.select_related("residential_area"), user, action)


def household_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Household:
    return get_scoped_or_404(Household.objects.select_related("residential_area"), user, action, pk=pk)


def visible_visits(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Visit]:
    return restrict(Visit.objects.select_related("group", "group__organisation", "household",
                                                 "household__residential_area"), user, action)


def visit_detail(*, user: Any, pk: int) -> Visit:
    return get_scoped_or_404(Visit.objects.select_related("group", "group__organisation", "household",
                                                          "household__residential_area"), user, Action.VIEW, pk=pk)


def visit_concerns(*, user: Any, visit: Visit) -> list[Concern]:
    """The visit's concerns; the issue each became is shown only to who may see that issue."""
    from chithi.dialogues.models import Issue

    concerns = list(visit.concerns.select_related("issue").order_by("id"))
    issue_ids = [c.issue_id for c in concerns if c.issue_id]
    visible = set(restrict(Issue.objects.filter(pk__in=issue_ids), user, Action.VIEW).values_list("pk", flat=True)) \
        if issue_ids else set()
    for concern in concerns:
        concern.visible_issue = concern.issue if concern.issue_id in visible else None  # type: ignore[attr-defined]
    return concerns


def visitors_of(visit: Visit) -> list[Person]:
    return list(visit.visitors.order_by("sort_key"))


def visible_requests(user: Any, action: Action | str = Action.VIEW) -> QuerySet[HomeHelpRequest]:
    return restrict(HomeHelpRequest.objects.select_related(
        "organisation", "household", "household__residential_area", "procedure", "officer"), user, action)


def request_detail(*, user: Any, pk: int) -> HomeHelpRequest:
    return get_scoped_or_404(HomeHelpRequest.objects.select_related(
        "organisation", "household", "household__residential_area", "procedure", "officer", "visit"),
        user, Action.VIEW, pk=pk)


def week_bounds(day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to next Monday 00:00 (local time) of the week holding `day`."""
    day = day or timezone.localdate()
    monday = day - dt.timedelta(days=day.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return start, start + dt.timedelta(days=7)


def active_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(active=True).order_by("position", "name")


def officers_of(unit: Organisation) -> QuerySet[Person]:
    """People working in the unit (or its sub-units) today: who can be sent to a home."""
    today = timezone.localdate()
    return Person.objects.filter(pk__in=Membership.objects.filter(
        members_on_q(today), organisation__path__startswith=unit.path).values("person_id")).order_by("sort_key")


def visits_in(unit: Organisation, start: dt.datetime, end: dt.datetime) -> QuerySet[Visit]:
    return Visit.objects.filter(Q(household__residential_area__path__startswith=unit.path)
                                | Q(group__organisation__path__startswith=unit.path),
                                starts_at__gte=start, starts_at__lt=end)


def followed_q(group: WorkingGroup, path_field: str) -> Q:
    """Rows whose unit lies under one of the units the group follows (nothing when it follows none)."""
    paths = list(group.followed_units.values_list("path", flat=True))
    return path_q(path_field, paths) if paths else Q(pk__in=[])

"""Sections this room adds to other rooms' pages (core.panels): the signed-in home ("my next meeting"), an
organisation's page (next meeting, attendance over 12 months, visits this quarter) and a citizen issue's page
(the household visit it was raised at)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Sum
from django.utils import timezone

from chithi.core.numbers import percent
from chithi.core.permissions import Action, has_any, restrict
from chithi.orgs.models import Organisation

from .. import rules
from ..models import Concern, HomeHelpRequest, Meeting, MeetingStatus, Visit, VisitStatus
from .fieldwork import visits_in
from .meetings import next_meetings_for_person


def home_panel(*, user: Any, obj: Any) -> dict[str, Any]:
    person = getattr(user, "person", None)
    if person is None:
        return {}
    now = timezone.now()
    week = now + dt.timedelta(days=7)
    meetings = next_meetings_for_person(person)
    visits = list(Visit.objects.filter(visitors=person, status=VisitStatus.PLANNED, starts_at__gte=now,
                                       starts_at__lt=week).select_related("household__residential_area")
                  .order_by("starts_at")[:5])
    helps = list(HomeHelpRequest.objects.filter(officer=person, slot_start__gte=now, slot_start__lt=week)
                 .select_related("procedure", "household__residential_area").order_by("slot_start")[:5])
    if not (meetings or visits or helps):
        return {"empty": True}
    return {"meetings": meetings, "visits": visits, "helps": helps}


def org_panel(*, user: Any, obj: Organisation) -> dict[str, Any]:
    if not has_any(user, Action.VIEW):
        return {}
    unit = obj
    now = timezone.now()
    meetings = restrict(Meeting.objects.filter(organisation__path__startswith=unit.path), user, Action.VIEW)
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now).select_related(
        "organisation").order_by("starts_at").first()
    totals = meetings.filter(status=MeetingStatus.HELD, starts_at__gte=now - dt.timedelta(days=365)).aggregate(
        present=Sum(F("present_official") + F("present_probationary")),
        expected=Sum(F("roster_official") + F("roster_probationary") - F("exempt_absent")))
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * (rules.quarter_of(today) - 1) + 1, 1)
    start = timezone.make_aware(dt.datetime.combine(quarter_start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(rules.add_months(quarter_start, 3), dt.time.min))
    visits = restrict(visits_in(unit, start, end), user, Action.VIEW).exclude(status=VisitStatus.CANCELLED).count()
    expected = totals["expected"] or 0
    if upcoming is None and not expected and not visits:
        return {}
    return {"unit": unit, "next_meeting": upcoming, "visits": visits, "expected": expected,
            "present": totals["present"] or 0, "rate": percent(totals["present"] or 0, expected)}


def issue_panel(*, user: Any, obj: Any) -> dict[str, Any]:
    concern = Concern.objects.filter(issue=obj).select_related(
        "visit", "visit__group", "visit__household__residential_area").first()
    if concern is None or not restrict(Visit.objects.filter(pk=concern.visit_id), user, Action.VIEW).exists():
        return {}
    return {"concern": concern, "visit": concern.visit}

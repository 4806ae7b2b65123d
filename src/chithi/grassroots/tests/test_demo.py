"""The demo of grassroots work: 12 months of meetings in the cells of phường Đông Hà and Nam Đông Hà with
attendance and approved minutes, a thematic meeting each quarter, members' commitments, visits whose issues reach
the dialogues room, help at home by the ward police, and flag ceremonies with one unit missing last month."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from chithi.grassroots import rules
from chithi.grassroots.models import (
    Commitment,
    Concern,
    HomeHelpRequest,
    Meeting,
    MeetingGuest,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    Reflection,
    Visit,
)
from chithi.grassroots.selectors.ceremonies import board
from chithi.orgs.models import Organisation, OrgKind


def test_demo_data(db: Any) -> None:
    call_command("load_demo", stdout=StringIO())
    wards = list(Organisation.objects.filter(code__in=["19333", "19351"], dissolved_on__isnull=True))
    assert len(wards) == 2
    cells = Organisation.objects.filter(parent__in=wards, kind=OrgKind.PARTY_CELL, dissolved_on__isnull=True)
    held = Meeting.objects.filter(organisation__in=cells, status=MeetingStatus.HELD)
    assert held.values("organisation").distinct().count() == cells.count()
    assert held.values("period").distinct().count() >= 11  # twelve months back (this month's may be to come)
    assert held.filter(kind="combined").values("period").distinct().count() >= 3  # a thematic one each quarter
    assert Meeting.objects.filter(organisation__in=cells, status=MeetingStatus.SCHEDULED).count() == cells.count()
    rates = [m.attendance_rate for m in held if m.attendance_rate is not None]
    assert 70 < sum(rates) / len(rates) < 98  # realistic, not everyone every time
    assert MinutesVersion.objects.filter(meeting__in=held, status=MinutesStatus.APPROVED).count() >= held.count() * 0.9
    assert MeetingGuest.objects.filter(meeting__in=held, group__isnull=False).exists()
    assert Commitment.objects.filter(year=timezone.localdate().year).count() > 100
    assert Reflection.objects.exists() and Commitment.objects.exclude(review_grade="").exists()
    raised = Concern.objects.filter(issue__isnull=False).select_related("issue")
    assert raised.count() >= 6 and {c.issue.channel for c in raised} == {"visit"}
    assert HomeHelpRequest.objects.filter(organisation__kind=OrgKind.AGENCY, outcome="done").count() > 30
    assert HomeHelpRequest.objects.filter(slot_start__gt=timezone.now()).count() >= 5
    today = timezone.localdate()
    year, month = today.year, today.month
    if rules.flag_day(year, month) > today:
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    states = [row.state for ward in wards for row in board(root=ward, year=year, month=month)[1]]
    assert states.count("missing") == 1 and states.count("held") >= 10
    # Visits and help at home fall in office hours, Vietnam time (the demo once set the hour on a UTC time: a
    # household visited at 22:00).
    hours = {timezone.localtime(v).hour for v in Visit.objects.values_list("starts_at", flat=True)}
    hours |= {timezone.localtime(h).hour for h in HomeHelpRequest.objects.values_list("slot_start", flat=True)}
    assert hours and hours <= set(range(7, 18)), sorted(hours)

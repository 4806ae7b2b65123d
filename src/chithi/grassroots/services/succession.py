"""When a unit is merged or split: its meetings still to come, the households of its residential area, its open
home-help requests and its working groups follow the successor; what happened stays with the old unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.orgs.models import Organisation, OrgKind

from ..models import REGULAR_KINDS, HelpOutcome, HomeHelpRequest, Household, Meeting, MeetingStatus, WorkingGroup


def _move(obj: Model, field: str, successor: Organisation, *, actor: Any, note: str, source: Organisation) -> None:
    before = audit.snapshot(obj)
    setattr(obj, field, successor)
    obj.save(update_fields=[field])
    audit.record(action=AuditAction.MOVE, obj=obj, before=before, after=audit.snapshot(obj), actor=actor, note=note,
                 related=source)


def move_to_successor(*, source: Organisation, successor: Organisation, effective_on: dt.date, actor: Any) -> None:
    note = _("moved to %(org)s on %(date)s") % {"org": successor.name, "date": effective_on.strftime("%d/%m/%Y")}
    start = timezone.make_aware(dt.datetime.combine(effective_on, dt.time.min))
    for meeting in Meeting.objects.filter(organisation=source, status=MeetingStatus.SCHEDULED, starts_at__gte=start):
        clash = meeting.kind in REGULAR_KINDS and Meeting.objects.filter(
            organisation=successor, period=meeting.period, kind__in=REGULAR_KINDS).exclude(
            status=MeetingStatus.CANCELLED).exists()
        if successor.kind != OrgKind.PARTY_CELL or clash:
            before = audit.snapshot(meeting)
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancel_reason = _("%(unit)s was restructured into %(successor)s.") % {
                "unit": source.name, "successor": successor.name}
            meeting.save(update_fields=["status", "cancel_reason"])
            audit.record(action=AuditAction.UPDATE, obj=meeting, before=before, after=audit.snapshot(meeting),
                         actor=actor, note=note, related=source)
        else:
            _move(meeting, "organisation", successor, actor=actor, note=note, source=source)
    if successor.residential:
        for household in Household.objects.filter(residential_area=source):
            _move(household, "residential_area", successor, actor=actor, note=note, source=source)
    for request in HomeHelpRequest.objects.filter(organisation=source).exclude(
            outcome__in=[HelpOutcome.DONE, HelpOutcome.REFERRED]):
        _move(request, "organisation", successor, actor=actor, note=note, source=source)
    for group in WorkingGroup.objects.filter(organisation=source).exclude(ends_on__lt=effective_on):
        _move(group, "organisation", successor, actor=actor, note=note, source=source)
    for group in WorkingGroup.objects.filter(followed_units=source).exclude(ends_on__lt=effective_on):
        group.followed_units.add(successor)

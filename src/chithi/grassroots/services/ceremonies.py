"""Recording a unit's monthly flag ceremony (held, with its talk and attendance; or not held, with the reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.permissions import Action
from chithi.core.writes import acting_user, model_update, require, save_new
from chithi.orgs.models import Organisation, Person

from .. import policy, rules
from ..models import CeremonyStatus, FlagCeremony
from .common import clean_text, fmt, raise_if, visible_person

CEREMONY_FIELDS = ("status", "held_on", "start_time", "place", "speaker", "speaker_name", "topic", "attendance",
                   "expected", "reason")


@transaction.atomic
def record_ceremony(*, actor: Any, organisation: Organisation, year: int, month: int, status: str = "held",
                    held_on: dt.date | None = None, start_time: dt.time | None = None, place: str = "",
                    speaker: Person | None = None, speaker_name: str = "", topic: str = "",
                    attendance: int | None = None, expected: int | None = None, reason: str = "") -> FlagCeremony:
    """One record per unit and month; recording again corrects it."""
    require(actor, Action.CHANGE, organisation.path)
    policy.CEREMONY.check(actor, "record", organisation)
    errors: dict[str, Any] = {}
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        errors["month"] = _("Choose a month.")
        raise_if(errors)
    scheduled = rules.flag_day(year, month)
    today = timezone.localdate()
    if status == CeremonyStatus.HELD:
        if held_on is None:
            errors["held_on"] = _("Give the day the ceremony was held (scheduled: %(date)s).") % {
                "date": fmt(scheduled)}
        elif (held_on.year, held_on.month) != (year, month):
            errors["held_on"] = _("The day must fall in %(month)02d/%(year)d.") % {"month": month, "year": year}
        elif held_on > today:
            errors["held_on"] = _("A ceremony is recorded once it has been held.")
        if attendance is None:
            errors["attendance"] = _("Give how many people attended.")
        if speaker is not None and visible_person(actor, speaker) is None:
            errors["speaker"] = _("Choose a person from the list.")
        topic = clean_text(errors, "topic", topic, max_length=300, required=True)
        reason = ""
    elif status == CeremonyStatus.NOT_HELD:
        if scheduled > today:
            errors["status"] = _("The ceremony of %(month)02d/%(year)d is on %(date)s; it cannot be marked as not "
                                 "held before then.") % {"month": month, "year": year, "date": fmt(scheduled)}
        reason = clean_text(errors, "reason", reason, max_length=500, required=True, min_length=5)
        held_on = start_time = speaker = attendance = expected = None
        speaker_name = topic = place = ""
    else:
        errors["status"] = _("Say whether the ceremony was held.")
    place = clean_text(errors, "place", place, max_length=255)
    speaker_name = clean_text(errors, "speaker_name", speaker_name, max_length=120)
    raise_if(errors)
    data = {"status": status, "held_on": held_on, "start_time": start_time or (rules.flag_time() if held_on else None),
            "place": place, "speaker": speaker, "speaker_name": speaker_name, "topic": topic,
            "attendance": attendance, "expected": expected, "reason": reason}
    period = year * 100 + month
    existing = FlagCeremony.objects.select_for_update().filter(organisation=organisation, period=period).first()
    if existing is None:
        return save_new(FlagCeremony(organisation=organisation, period=period, recorded_by=acting_user(actor),
                                     **data), actor=actor)
    ceremony, _changed = model_update(instance=existing, data=data, fields=CEREMONY_FIELDS, actor=actor)
    return ceremony

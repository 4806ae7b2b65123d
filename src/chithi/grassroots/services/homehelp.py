"""Help with administrative procedures at the resident's home: the request with its appointment, the officer,
and the outcome with what the resident must keep and how satisfied they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, restrict
from chithi.core.writes import acting_user, locked, model_update, require, save_new
from chithi.orgs.models import Membership, Organisation, Person

from .. import policy
from ..models import HelpOutcome, HomeHelpRequest, HomeReason, Household, Procedure, RequestChannel, Visit
from ..selectors.meetings import members_on_q
from .common import clean_text, raise_if


def _check_slot(errors: dict[str, Any], slot_start: Any, field: str = "slot_start") -> None:
    if not isinstance(slot_start, dt.datetime):
        errors[field] = _("Give the day and time of the appointment.")
    elif slot_start <= timezone.now():
        errors[field] = _("The appointment is in the past: choose a time still to come.")


def _check_officer(errors: dict[str, Any], unit: Organisation, officer: Person | None) -> None:
    if officer is None:
        errors["officer"] = _("Choose the officer who goes.")
        return
    today = timezone.localdate()
    if not Membership.objects.filter(members_on_q(today), person=officer,
                                     organisation__path__startswith=unit.path).exists():
        errors["officer"] = _("%(name)s does not work in %(unit)s.") % {"name": officer.full_name, "unit": unit.name}


@transaction.atomic
def create_request(*, actor: Any, organisation: Organisation, household: Household, procedure: Procedure,
                   channel: str, reason: str, slot_start: dt.datetime, officer: Person | None,
                   slot_minutes: int = 45, reason_note: str = "", resident_name: str = "",
                   visit: Visit | None = None) -> HomeHelpRequest:
    require(actor, Action.ADD, organisation.path)
    errors: dict[str, Any] = {}
    if not organisation.is_active:
        errors["organisation"] = _("%(unit)s no longer exists.") % {"unit": organisation.name}
    if not restrict(Household.objects.filter(pk=household.pk), actor, Action.VIEW).exists():
        raise ValidationError({"household": _("Choose a household from the list.")})
    if not procedure.active:
        errors["procedure"] = _("This procedure is no longer offered.")
    if channel not in RequestChannel.values:
        errors["channel"] = _("Say how the request came in.")
    if channel == RequestChannel.VISIT and (visit is None or visit.household_id != household.pk):
        errors["visit"] = _("Choose the visit to this household the request came from.")
    if reason not in HomeReason.values:
        errors["reason"] = _("Say why the resident is helped at home.")
    reason_note = clean_text(errors, "reason_note", reason_note, max_length=300,
                             required=reason == HomeReason.OTHER)
    resident_name = clean_text(errors, "resident_name", resident_name, max_length=120)
    if not 10 <= (slot_minutes or 0) <= 480:
        errors["slot_minutes"] = _("Between %(min)d and %(max)d minutes.") % {"min": 10, "max": 480}
    _check_slot(errors, slot_start)
    _check_officer(errors, organisation, officer)
    raise_if(errors)
    return save_new(HomeHelpRequest(
        organisation=organisation, household=household, procedure=procedure, channel=channel,
        visit=visit if channel == RequestChannel.VISIT else None, reason=reason, reason_note=reason_note,
        resident_name=resident_name, slot_start=slot_start, slot_minutes=slot_minutes, officer=officer,
        created_by=acting_user(actor)), actor=actor)


@transaction.atomic
def reschedule_request(*, actor: Any, request: HomeHelpRequest, slot_start: dt.datetime,
                       officer: Person | None = None) -> HomeHelpRequest:
    require(actor, Action.CHANGE, request.organisation.path)
    request = locked(request)
    policy.HOME_HELP.check(actor, "reschedule", request)
    errors: dict[str, Any] = {}
    _check_slot(errors, slot_start)
    officer = officer or request.officer
    _check_officer(errors, request.organisation, officer)
    raise_if(errors)
    data = {"slot_start": slot_start, "officer": officer}
    if request.outcome == HelpOutcome.AGAIN:
        data["outcome"] = HelpOutcome.PENDING  # the next visit is booked
    request, _changed = model_update(instance=request, data=data, fields=("slot_start", "officer", "outcome"),
                                     actor=actor)
    return request


@transaction.atomic
def record_outcome(*, actor: Any, request: HomeHelpRequest, outcome: str, outcome_note: str = "",
                   keep_note: str = "", satisfaction: int | None = None) -> HomeHelpRequest:
    require(actor, Action.CHANGE, request.organisation.path)
    request = locked(request)
    policy.HOME_HELP.check(actor, "outcome", request)
    errors: dict[str, Any] = {}
    if outcome not in (HelpOutcome.DONE, HelpOutcome.AGAIN, HelpOutcome.REFERRED):
        errors["outcome"] = _("Choose: done, needs another visit, or referred.")
    outcome_note = clean_text(errors, "outcome_note", outcome_note, max_length=5000,
                              required=outcome in (HelpOutcome.AGAIN, HelpOutcome.REFERRED))
    keep_note = clean_text(errors, "keep_note", keep_note, max_length=500)
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = _("From 1 (not satisfied) to 5 (very satisfied).")
    raise_if(errors)
    request, _changed = model_update(
        instance=request, fields=("outcome", "outcome_note", "keep_note", "satisfaction"), actor=actor,
        data={"outcome": outcome, "outcome_note": outcome_note, "keep_note": keep_note, "satisfaction": satisfaction})
    return request

"""Households of residential areas, working groups' visits to them, and what residents raised — each concern
becomes a citizen issue (channel "visit") in one action, linked both ways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.contacts import new_phone_problem
from chithi.core.permissions import Action, restrict
from chithi.core.writes import acting_user, locked, model_update, require, save_new
from chithi.orgs.models import Organisation, OrgKind

from .. import policy
from ..models import Concern, Household, Visit, VisitStatus, WorkingGroup
from .common import clean_text, fmt, raise_if
from .groups import follows

HOUSEHOLD_FIELDS = ("head_name", "address", "phone", "members_note", "elderly", "disabled")
VISIT_FIELDS = ("situation", "raised", "follow_up")


def _validate_household(household: Household, *, recorded_phone: str = "") -> None:
    """`recorded_phone`: the phone as stored before an update, which passes unchanged (core.contacts)."""
    errors: dict[str, Any] = {}
    area = household.residential_area
    if not area.residential:
        errors["residential_area"] = _("Choose a residential area (a residential party cell's area).")
    elif not area.is_active:
        errors["residential_area"] = _("%(unit)s no longer exists.") % {"unit": area.name}
    household.head_name = clean_text(errors, "head_name", household.head_name, max_length=120, required=True)
    household.address = clean_text(errors, "address", household.address, max_length=255, required=True)
    household.phone = clean_text(errors, "phone", household.phone, max_length=20)
    # The one phone rule of every room (a citizen's contact, a person's phone): this room's own "8 to 15" took
    # "12345678" and refused "0912-345-678".
    if "phone" not in errors and (problem := new_phone_problem(household.phone, recorded_phone)):
        errors["phone"] = problem
    household.members_note = clean_text(errors, "members_note", household.members_note, max_length=2000)
    raise_if(errors)


@transaction.atomic
def create_household(*, actor: Any, residential_area: Organisation, head_name: str, address: str, phone: str = "",
                     members_note: str = "", elderly: bool = False, disabled: bool = False) -> Household:
    require(actor, Action.ADD, residential_area.path)
    household = Household(residential_area=residential_area, head_name=head_name, address=address, phone=phone,
                          members_note=members_note, elderly=elderly, disabled=disabled)
    _validate_household(household)
    return save_new(household, actor=actor)


@transaction.atomic
def update_household(*, actor: Any, household: Household, **changes: Any) -> Household:
    require(actor, Action.CHANGE, household)
    household = locked(household)
    recorded = household.phone
    household, _changed = model_update(instance=household, data=changes, fields=HOUSEHOLD_FIELDS, actor=actor,
                                       validate=lambda changed: _validate_household(changed, recorded_phone=recorded))
    return household


def _checked_visitors(group: WorkingGroup, visitors: Iterable[Any]) -> list[int]:
    chosen = [getattr(p, "pk", p) for p in visitors]
    members = set(group.members.values_list("person_id", flat=True))
    if any(pk not in members for pk in chosen):
        raise ValidationError({"visitors": _("Only the group's members can go on its visits.")})
    return chosen


@transaction.atomic
def plan_visit(*, actor: Any, group: WorkingGroup, household: Household, starts_at: dt.datetime,
               visitors: Iterable[Any] = ()) -> Visit:
    """A visit of the group to a household of a residential area the group follows, within its period."""
    require(actor, Action.CHANGE, group.organisation.path)
    policy.GROUP.check(actor, "visit", group)
    if not restrict(Household.objects.filter(pk=household.pk), actor, Action.VIEW).exists():
        raise ValidationError({"household": _("Choose a household from the list.")})
    errors: dict[str, Any] = {}
    area = household.residential_area
    if not follows(group, area):
        errors["household"] = _("%(area)s lies outside the units the group follows.") % {"area": area.name}
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = _("Give the day and time of the visit.")
    elif not group.is_active_on(timezone.localtime(starts_at).date()):
        errors["starts_at"] = _("The group works from %(start)s to %(end)s.") % {
            "start": fmt(group.starts_on), "end": fmt(group.ends_on) if group.ends_on else "…"}
    raise_if(errors)
    chosen = _checked_visitors(group, visitors)
    visit = save_new(Visit(group=group, household=household, starts_at=starts_at, created_by=acting_user(actor)),
                     actor=actor, related=group, org_path=area.path)
    visit.visitors.set(chosen)
    return visit


@transaction.atomic
def record_visit(*, actor: Any, visit: Visit, visitors: Iterable[Any] | None = None, **changes: Any) -> Visit:
    """What was found and raised at the visit, and the follow-up; the visit is then done."""
    require(actor, Action.CHANGE, visit.group.organisation.path)
    visit = locked(visit)
    policy.VISIT.check(actor, "record", visit)
    errors: dict[str, Any] = {}
    for field in VISIT_FIELDS:
        if field in changes:
            changes[field] = clean_text(errors, field, changes[field], max_length=5000)
    if not (changes.get("situation") or visit.situation or changes.get("raised") or visit.raised):
        errors["situation"] = _("Say what the group found or what the residents raised.")
    raise_if(errors)
    if visitors is not None:
        chosen = _checked_visitors(visit.group, visitors)
        if not chosen:
            raise ValidationError({"visitors": _("Say who went.")})
        visit.visitors.set(chosen)
    visit, _changed = model_update(instance=visit, data={**changes, "status": VisitStatus.DONE},
                                   fields=(*VISIT_FIELDS, "status"), actor=actor,
                                   org_path=visit.household.residential_area.path)
    return visit


@transaction.atomic
def cancel_visit(*, actor: Any, visit: Visit) -> Visit:
    require(actor, Action.CHANGE, visit.group.organisation.path)
    visit = locked(visit)
    policy.VISIT.check(actor, "cancel", visit)
    visit, _changed = model_update(instance=visit, data={"status": VisitStatus.CANCELLED}, fields=("status",),
                                   actor=actor, org_path=visit.household.residential_area.path)
    return visit


@transaction.atomic
def add_concern(*, actor: Any, visit: Visit, description: str) -> Concern:
    require(actor, Action.CHANGE, visit.group.organisation.path)
    policy.VISIT.check(actor, "concern", visit)
    errors: dict[str, Any] = {}
    description = clean_text(errors, "description", description, max_length=5000, required=True, min_length=10)
    raise_if(errors)
    return save_new(Concern(visit=visit, description=description), actor=actor, related=visit,
                    org_path=visit.household.residential_area.path)


def receiving_unit(area: Organisation) -> Organisation:
    """Where an issue raised in a residential area is handled: the ward committee above it."""
    for unit in Organisation.objects.filter(path__in=area.ancestor_paths()[:-1]).order_by("-depth"):
        if unit.kind == OrgKind.WARD_COMMITTEE:
            return unit
    return area.parent or area


@transaction.atomic
def raise_issue(*, actor: Any, concern: Concern, category: Any, organisation: Organisation | None = None) -> Any:
    """Turn what a resident raised into a citizen issue (channel "visit") in the dialogues room, and link it."""
    from chithi.dialogues import services as dialogues

    concern = locked(concern)
    visit = concern.visit
    require(actor, Action.CHANGE, visit.group.organisation.path)
    policy.VISIT.check(actor, "raise", visit)
    if concern.issue is not None:
        raise ValidationError(_("This concern is already issue %(code)s.") % {"code": concern.issue.display_code})
    household = visit.household
    area = household.residential_area
    unit = organisation or receiving_unit(area)
    ward = receiving_unit(area)
    issue = dialogues.submit_issue(
        actor=actor, channel="visit", category=category, description=concern.description, organisation=unit,
        area_unit=ward, address=household.address, reporter_name=household.head_name,
        reporter_contact=household.phone, received_at=visit.starts_at)  # the resident raised it at the visit
    concern, _changed = model_update(instance=concern, data={"issue": issue}, fields=("issue",), actor=actor,
                                     related=issue, org_path=area.path)
    return issue

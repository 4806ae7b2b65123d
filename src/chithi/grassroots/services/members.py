"""Members' standing (official since, exemption), their yearly commitment, quarterly self-reflection and the
cell's year-end review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.permissions import Action
from chithi.core.writes import acting_user, locked, model_update, require, save_new
from chithi.orgs.models import Membership, Organisation, OrgKind, Person

from .. import policy
from ..models import (
    Commitment,
    CommitmentGrade,
    CommitmentItem,
    Meeting,
    MeetingStatus,
    PartyStanding,
    Reflection,
    SelfAssessment,
)
from .common import clean_text, fmt, raise_if

STANDING_FIELDS = ("official_on", "exempt_from", "exempt_until", "exempt_reason")


def _validate_standing(standing: PartyStanding) -> None:
    errors: dict[str, Any] = {}
    person = standing.person
    if standing.official_on and person.party_joined_on and standing.official_on < person.party_joined_on:
        errors["official_on"] = _("A member becomes official after joining the party (%(date)s).") % {
            "date": fmt(person.party_joined_on)}
    if standing.exempt_until and not standing.exempt_from:
        errors["exempt_from"] = _("Give the day the exemption starts.")
    if standing.exempt_from and standing.exempt_until and standing.exempt_until < standing.exempt_from:
        errors["exempt_until"] = _("The exemption cannot end before it starts.")
    standing.exempt_reason = clean_text(errors, "exempt_reason", standing.exempt_reason, max_length=300,
                                        required=bool(standing.exempt_from))
    raise_if(errors)


@transaction.atomic
def set_standing(*, actor: Any, person: Person, **changes: Any) -> PartyStanding:
    """Record when a member became official and an exemption from party activities (with its dates)."""
    require(actor, Action.CHANGE, person)
    if not person.is_party_member:
        raise ValidationError({"person": _("%(name)s is not a party member.") % {"name": person.full_name}})
    standing = PartyStanding.objects.select_for_update().filter(person=person).first()
    if standing is None:
        standing = PartyStanding(person=person)
        for name, value in changes.items():
            if name not in STANDING_FIELDS:
                raise ValidationError({name: _("This field cannot be changed here.")})
            setattr(standing, name, value if value is not None else ("" if name == "exempt_reason" else None))
        _validate_standing(standing)
        return save_new(standing, actor=actor, related=person)
    standing, _changed = model_update(instance=standing, data=changes, fields=STANDING_FIELDS, actor=actor,
                                      validate=_validate_standing, related=person)
    return standing


def _member_during(person: Person, cell: Organisation, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Membership.objects.filter(Q(since__isnull=True) | Q(since__lte=end), Q(until__isnull=True)
                                     | Q(until__gte=start), person=person, organisation=cell).exists()


def _clean_items(errors: dict[str, Any], items: Iterable[Mapping[str, Any]], year: int) -> list[tuple[str, dt.date]]:
    cleaned: list[tuple[str, dt.date]] = []
    problems: list[str] = []
    for number, item in enumerate(items, start=1):
        text = str(item.get("text") or "").strip()
        due = item.get("due_on")
        if not text and not due:
            continue
        if not text:
            problems.append(_("Line %(n)d: say what you will do.") % {"n": number})
        elif len(text) > 500:
            problems.append(_("Line %(n)d: at most %(max)d characters.") % {"n": number, "max": 500})
        elif not isinstance(due, dt.date):
            problems.append(_("Line %(n)d: say by when.") % {"n": number})
        elif due.year != year:
            problems.append(_("Line %(n)d: the date must fall in %(year)d.") % {"n": number, "year": year})
        else:
            cleaned.append((text, due))
    if problems:
        errors["items"] = problems
    elif not cleaned:
        errors["items"] = _("Write at least one thing you will do, and by when.")
    return cleaned


@transaction.atomic
def save_commitment(*, actor: Any, person: Person, organisation: Organisation, year: int,
                    items: Iterable[Mapping[str, Any]]) -> Commitment:
    """Write (or rewrite) a member's commitment for a year: what they will do and by when."""
    commitment = Commitment.objects.select_for_update().filter(person=person, year=year).first()
    if commitment is None:
        commitment = Commitment(person=person, organisation=organisation, year=year)
    elif commitment.organisation_id != organisation.pk:
        raise ValidationError({"organisation": _("%(name)s's commitment for %(year)d is kept by %(cell)s.") % {
            "name": person.full_name, "year": year, "cell": commitment.organisation.name}})
    policy.COMMITMENT.check(actor, "edit", commitment)
    errors: dict[str, Any] = {}
    if organisation.kind != OrgKind.PARTY_CELL:
        errors["organisation"] = _("Commitments are kept by party cells.")
    elif not _member_during(person, organisation, year):
        errors["person"] = _("%(name)s was not a member of %(cell)s in %(year)d.") % {
            "name": person.full_name, "cell": organisation.name, "year": year}
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        errors["year"] = _("A commitment is written for this year or the next.")
    cleaned = _clean_items(errors, items, year)
    raise_if(errors)
    created = commitment.pk is None
    before = None if created else [[i.text, i.due_on.isoformat()] for i in commitment.items.all()]
    if created:
        commitment.save()
    else:
        commitment.items.all().delete()
    CommitmentItem.objects.bulk_create(CommitmentItem(commitment=commitment, position=n, text=text, due_on=due)
                                       for n, (text, due) in enumerate(cleaned, start=1))
    after = [[text, due.isoformat()] for text, due in cleaned]
    audit.record(action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=commitment,
                 before=None if created else {"items": before}, after={"items": after}, actor=actor)
    return commitment


def _quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


@transaction.atomic
def write_reflection(*, actor: Any, commitment: Commitment, quarter: int, text: str,
                     assessment: str) -> Reflection:
    """The member's self-reflection for a quarter (written again, it replaces the earlier text)."""
    policy.COMMITMENT.check(actor, "reflect", commitment)
    errors: dict[str, Any] = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter from 1 to 4.")
    elif timezone.localdate() < _quarter_start(commitment.year, quarter):
        errors["quarter"] = _("Quarter %(q)d of %(year)d has not begun.") % {"q": quarter, "year": commitment.year}
    text = clean_text(errors, "text", text, max_length=5000, required=True, min_length=10)
    if assessment not in SelfAssessment.values:
        errors["assessment"] = _("Choose how far you are with your commitment.")
    raise_if(errors)
    existing = Reflection.objects.select_for_update().filter(commitment=commitment, quarter=quarter).first()
    if existing is None:
        return save_new(Reflection(commitment=commitment, quarter=quarter, text=text, assessment=assessment,
                                   written_by=acting_user(actor)), actor=actor, related=commitment)
    reflection, _changed = model_update(instance=existing, data={"text": text, "assessment": assessment},
                                        fields=("text", "assessment"), actor=actor, related=commitment)
    return reflection


@transaction.atomic
def review_commitment(*, actor: Any, commitment: Commitment, grade: str, note: str = "",
                      meeting: Meeting | None = None) -> Commitment:
    """The cell's year-end review of a member's commitment (read by the annual evaluation)."""
    require(actor, Action.CHANGE, commitment)
    commitment = locked(commitment)
    policy.COMMITMENT.check(actor, "review", commitment)
    errors: dict[str, Any] = {}
    if grade not in CommitmentGrade.values:
        errors["review_grade"] = _("Choose the cell's assessment.")
    note = clean_text(errors, "review_note", note, max_length=5000)
    if meeting is not None and (meeting.organisation_id != commitment.organisation_id
                                or meeting.status != MeetingStatus.HELD
                                or meeting.local_date() < dt.date(commitment.year, 11, 1)):
        errors["review_meeting"] = _("Choose a meeting of the cell held at the end of %(year)d.") % {
            "year": commitment.year}
    raise_if(errors)
    commitment, _changed = model_update(
        instance=commitment, fields=("review_grade", "review_note", "reviewed_on", "review_meeting"), actor=actor,
        data={"review_grade": grade, "review_note": note, "reviewed_on": timezone.localdate(),
              "review_meeting": meeting})
    return commitment

"""Writes for memberships: who holds which position in which unit, since and until when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.writes import locked, model_update, save_new

from ..models import Membership, Organisation, Person
from ..policy import MEMBERSHIP, ORGANISATION, PERSON


def _validate_dates(membership: Membership) -> None:
    if membership.since and membership.until and membership.until < membership.since:
        raise ValidationError({"until": _("The end date is before the start date.")})


@transaction.atomic
def add_membership(
    *, actor: Any, person: Person, organisation: Organisation, position: str = "", since: dt.date | None = None,
) -> Membership:
    PERSON.check(actor, "add_membership", person)
    ORGANISATION.check(actor, "add", organisation, field="organisation")  # a ceased unit takes nobody
    if Membership.objects.filter(person=person, organisation=organisation, until__isnull=True,
                                 position=position.strip()).exists():
        raise ValidationError({"organisation": _("This person already holds this position in this unit.")})
    return save_new(Membership(person=person, organisation=organisation, position=position.strip(), since=since),
                    actor=actor, related=person)


@transaction.atomic
def end_membership(*, actor: Any, membership: Membership, until: dt.date) -> Membership:
    MEMBERSHIP.check(actor, "end", membership, field="until")
    membership, _changed = model_update(
        instance=locked(membership), data={"until": until}, fields=("until",), actor=actor,
        validate=_validate_dates,
        related=membership.person)
    return membership


@transaction.atomic
def correct_membership(
    *, actor: Any, membership: Membership, position: str, since: dt.date | None,
) -> Membership:
    """Correct what was recorded of a current post: a mistyped position, a wrong start, or the post a merger carried
    over until the new unit's appointment (a merger moves each person with the post they held in the old unit, so a
    merged ward starts with one "Bí thư" per old ward). The record changes in place and the change is audited; a new
    post from a later date is end_membership then add_membership, so the roster on a past date stays true. `since`
    is always given: None clears it (model_update's rule), so a default would wipe the start of every call."""
    MEMBERSHIP.check(actor, "correct", membership, field="position")
    membership, _changed = model_update(
        instance=locked(membership), data={"position": position.strip(), "since": since},
        fields=("position", "since"), actor=actor, validate=_validate_dates, related=membership.person)
    return membership

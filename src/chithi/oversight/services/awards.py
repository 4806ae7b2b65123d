"""Writes for commendations of units, people and practices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.permissions import Action
from chithi.core.writes import save_new
from chithi.orgs.models import Organisation, Person
from chithi.practices.models import Practice

from ..models import Award, AwardLevel
from .common import check_person_in, raise_if, require_on


@transaction.atomic
def add_award(*, actor: Any, organisation: Organisation, form: str, level: str, decision_number: str,
              awarded_on: dt.date, issuer: str = "", person: Person | None = None,
              practice: Practice | None = None) -> Award:
    """`organisation` is the unit commended, or the unit of the person or practice commended (a person with a
    practice: commended for their part in it, as on the practice's page)."""
    if practice is not None:
        organisation = practice.organisation
    require_on(actor, Action.ADD, organisation)
    errors: dict[str, str] = {}
    if not form.strip():
        errors["form"] = _("Name the form of commendation.")
    if level not in AwardLevel.values:
        errors["level"] = _("Unknown level.")
    if not decision_number.strip():
        errors["decision_number"] = _("The decision number is required.")
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = _("The date cannot be in the future.")
    raise_if(errors)
    check_person_in(person, organisation, "person")
    award = Award(organisation=organisation, person=person, practice=practice, form=form.strip()[:200], level=level,
                  decision_number=decision_number.strip()[:60], awarded_on=awarded_on, issuer=issuer.strip()[:200])
    return save_new(award, actor=actor, related=person or practice or organisation)

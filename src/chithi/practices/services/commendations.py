"""Writes for commendations: recognition of a practice, or of a person for their part in it. The row is the
oversight room's commendation (one place for units, people and practices); this room's rules still apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, restrict
from chithi.core.writes import save_new
from chithi.orgs.models import Person

from ..models import Commendation, CommendationLevel, Practice
from ..policy import CHANGE, PRACTICE


@transaction.atomic
def add_commendation(
    *, actor: Any, practice: Practice, title: str, level: str, awarded_on: dt.date, decision_number: str,
    issuer: str = "", person: Person | None = None,
) -> Commendation:
    PRACTICE.check(actor, CHANGE, practice)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Name the form of commendation.")
    if level not in CommendationLevel.values:
        errors["level"] = _("Unknown level.")
    if not decision_number.strip():
        errors["decision_number"] = _("The decision number is required.")
    if awarded_on is None:
        errors["awarded_on"] = _("The date is required.")
    elif awarded_on > dt.date.today():
        errors["awarded_on"] = _("The date cannot be in the future.")
    elif awarded_on < practice.started_on:
        errors["awarded_on"] = _("The practice started on %(date)s; it cannot be commended before.") % {
            "date": f"{practice.started_on:%d/%m/%Y}"}
    if person is not None and not restrict(Person.objects.filter(pk=person.pk), actor, Action.VIEW).exists():
        errors["person"] = _("This person is not in your units.")
    if errors:
        raise ValidationError(errors)
    commendation = Commendation(
        practice=practice, organisation=practice.organisation, person=person, form=title.strip()[:200], level=level,
        awarded_on=awarded_on, decision_number=decision_number.strip()[:100], issuer=issuer.strip()[:200])
    return save_new(commendation, actor=actor, note=str(practice), related=practice)

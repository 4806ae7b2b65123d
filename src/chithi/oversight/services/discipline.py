"""Discipline records: what the evaluation's capping conditions read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.permissions import Action
from chithi.core.writes import save_new
from chithi.orgs.models import Organisation, Person

from .. import rules
from ..models import Case, Discipline, DisciplineForm
from .common import check_person_in, raise_if, require_on


@transaction.atomic
def record_discipline(*, actor: Any, organisation: Organisation, form: str, decision_number: str,
                      decided_on: dt.date, person: Person | None = None, case: Case | None = None,
                      note: str = "") -> Discipline:
    require_on(actor, Action.CHANGE, organisation)
    errors: dict[str, str] = {}
    if form not in DisciplineForm.values:
        errors["form"] = _("Unknown form of discipline.")
    if not rules.decision_number_ok(decision_number.strip()):
        errors["decision_number"] = _("Write the decision number in the party format, e.g. 12-QĐ/ĐU.")
    raise_if(errors)
    check_person_in(person, organisation, "person")
    discipline = Discipline(organisation=organisation, person=person, form=form, case=case,
                            decision_number=decision_number.strip(), decided_on=decided_on, note=note.strip()[:500])
    return save_new(discipline, actor=actor, related=case)

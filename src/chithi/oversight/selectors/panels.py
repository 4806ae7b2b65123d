"""Panels this room adds to other rooms' pages: a unit's page (its cases, evaluation results, commendations)
and a person's page (their commendations, the practices' ones included: they are kept here)."""

from __future__ import annotations

from typing import Any

from chithi.core.permissions import allowed_on_path, restrict
from chithi.orgs.models import Organisation, Person

from ..models import Award, Case, Evaluation
from ..policy import SEE


def org_panel(*, user: Any, obj: Organisation) -> dict[str, Any] | None:
    awards = list(restrict(Award.objects.filter(organisation=obj, person__isnull=True), user)
                  .select_related("practice")[:10])
    cases: list[Case] = []
    results: list[Evaluation] = []
    if allowed_on_path(user, SEE, obj.path):
        cases = list(Case.objects.filter(inspected_unit=obj).select_related("inspecting")[:5])
        results = list(Evaluation.objects.filter(organisation=obj, person__isnull=True)
                       .exclude(decided_level="").select_related("round")[:5])
    if not (awards or cases or results):
        return None
    return {"org": obj, "awards": awards, "cases": cases, "results": results}


def person_panel(*, user: Any, obj: Person) -> dict[str, Any] | None:
    awards = list(Award.objects.filter(person=obj).select_related("organisation", "practice"))
    results = [e for e in Evaluation.objects.filter(person=obj).exclude(decided_level="")
               .select_related("round", "organisation") if allowed_on_path(user, SEE, e.organisation.path)
               or getattr(user, "person_id", None) == obj.pk]
    if not (awards or results):
        return None
    return {"person": obj, "awards": awards, "results": results}

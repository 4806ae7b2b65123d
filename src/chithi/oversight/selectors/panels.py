"""Panels this room adds to other rooms' pages: the home page (the cases under way and the late remedial work), a
unit's page (its cases, evaluation results, commendations) and a person's page (their commendations, the
practices' ones included: they are kept here)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from chithi.core.permissions import allowed_on_path, has_any, restrict
from chithi.orgs.models import Organisation, Person

from ..models import Award, Case, CaseStatus, Evaluation, RemedyStatus
from ..policy import SEE

HOME_CASES = 5


def home_panel(*, user: Any, obj: Any) -> dict[str, Any] | None:
    """For whoever may see inspections (policy.SEE): the cases under way in their scope, nearest time limit first,
    and how much remedial work is past its deadline. Nothing to show, no panel."""
    if not has_any(user, SEE):
        return None
    today = timezone.localdate()
    # One query for both numbers: a remedy is in scope exactly when its case is (Remedy.scope_q is the case's).
    cases = restrict(Case.objects.all(), user, SEE)
    figures = cases.aggregate(
        count=Count("id", filter=Q(status=CaseStatus.OPEN), distinct=True),
        late=Count("remedies", filter=Q(remedies__deadline__lt=today) & ~Q(remedies__status=RemedyStatus.VERIFIED),
                   distinct=True))
    count, late = figures["count"], figures["late"]
    if not (count or late):
        return None
    # The time limit is counted from the start in Python (Case.due_on); the earliest started come first to it.
    first = sorted(cases.filter(status=CaseStatus.OPEN).select_related("inspected_unit", "inspected_person")
                   .order_by("starts_on", "id")[:200], key=lambda c: (c.due_on, c.pk))
    # Remedial work belongs to concluded cases (a case stays "concluded" until its last remedy is verified).
    return {"today": today, "cases": first[:HOME_CASES], "count": count, "late_remedies": late,
            "cases_url": reverse("oversight:case_list") + f"?status={CaseStatus.OPEN}",
            "remedies_url": reverse("oversight:case_list") + f"?status={CaseStatus.CONCLUDED}"}


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

"""Reads for the annual evaluation: rounds, a round's evaluations, one evaluation with its evidence, and the
per-unit summary table (one grouped query whatever the number of members)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from chithi.core.permissions import get_scoped_or_404, restrict, scope_paths
from chithi.orgs.models import Organisation

from ..models import LEVEL_ORDER, Criterion, Evaluation, Level, Round, Score
from ..policy import SEE, sees_evaluation
from .evidence import collective_evidence, evidence_lines, member_evidence


def visible_rounds(user: Any) -> QuerySet[Round]:
    return restrict(Round.objects.select_related("organisation", "frame"), user)


def round_detail(*, user: Any, pk: int) -> Round:
    return get_scoped_or_404(Round.objects.select_related("organisation", "frame"), user, pk=pk)


def summary_unit(*, user: Any, round: Round) -> Organisation | None:
    """The unit whose summary table the user may print from this round's page: the round's own unit where they may
    export there, else the highest unit of theirs inside the round (a ward under the province's round), else none
    (the page offers no summary it would refuse: views.evaluation.round_summary)."""
    paths = scope_paths(user, SEE)
    if paths is None or any(round.organisation.path.startswith(p) for p in paths):
        return round.organisation
    inside = sorted((p for p in paths if p.startswith(round.organisation.path)), key=lambda p: (len(p), p))
    return Organisation.objects.filter(path=inside[0]).first() if inside else None


def round_evaluations(*, user: Any, round: Round) -> QuerySet[Evaluation]:
    """The evaluations of the round the user may see: their units' (authorised roles) and their own."""
    person_id = getattr(user, "person_id", None)
    own = Q(person_id=person_id) if person_id else Q(pk__in=[])
    scoped = restrict(Evaluation.objects.all(), user, SEE).values("pk")
    return (Evaluation.objects.filter(round=round).filter(Q(pk__in=scoped) | own)
            .select_related("organisation", "person"))


def evaluation_detail(*, user: Any, pk: int) -> Evaluation:
    try:
        evaluation = Evaluation.objects.select_related(
            "round__frame", "round__organisation", "organisation__parent", "person", "decided_by").get(pk=pk)
    except Evaluation.DoesNotExist as exc:
        raise Http404 from exc
    if not sees_evaluation(user, evaluation):
        raise Http404
    return evaluation


@dataclass
class CriterionRow:
    criterion: Criterion
    score: Score | None
    evidence: list[str]
    url: str


def criterion_rows(evaluation: Evaluation) -> tuple[list[CriterionRow], dict[str, Any]]:
    """Each criterion of the form with its score and the product's figures beside it."""
    evidence = (member_evidence(evaluation.person, evaluation.round.year) if evaluation.person
                else collective_evidence(evaluation.organisation, evaluation.round.year))
    scores = {s.criterion_id: s for s in Score.objects.filter(evaluation=evaluation)}
    criteria = evaluation.round.frame.criteria.filter(forms__contains=f",{evaluation.form_kind},")
    rows = [CriterionRow(c, scores.get(c.pk), evidence_lines(evidence, c.evidence),
                         (evidence.get(c.evidence) or {}).get("url", "")) for c in criteria]
    return rows, evidence


@dataclass
class SummaryRow:
    unit: Organisation
    collective: Evaluation | None = None
    members: dict[str, int] = field(default_factory=dict)
    pending: int = 0

    @property
    def member_counts(self) -> list[int]:
        return [self.members.get(level, 0) for level in LEVEL_ORDER]


def unit_summary(*, user: Any, round: Round, unit: Organisation) -> list[SummaryRow]:
    """The official summary table of a unit: its own row and each unit directly under it, with the collective's
    level and the members' levels counted (three queries)."""
    children = list(Organisation.objects.filter(Q(parent=unit) | Q(pk=unit.pk), dissolved_on__isnull=True)
                    .order_by("depth", "sort_key"))
    rows = {org.pk: SummaryRow(org) for org in children}
    scoped = restrict(Evaluation.objects.filter(round=round, organisation_id__in=rows), user, SEE)
    for evaluation in scoped.filter(person__isnull=True).select_related("organisation"):
        rows[evaluation.organisation_id].collective = evaluation
    counts = (restrict(Evaluation.objects.filter(round=round, person__isnull=False), user, SEE)
              .filter(Q(organisation__parent=unit) | Q(organisation=unit))
              .values("organisation__parent_id", "organisation_id", "decided_level")
              .annotate(n=Count("id")))
    for row in counts:
        key = row["organisation_id"] if row["organisation_id"] in rows else row["organisation__parent_id"]
        target = rows.get(key) if key is not None else None
        if target is None:
            continue
        if row["decided_level"]:
            target.members[row["decided_level"]] = target.members.get(row["decided_level"], 0) + row["n"]
        else:
            target.pending += row["n"]
    return list(rows.values())


def level_labels() -> list[str]:
    return [str(Level(level).label) for level in LEVEL_ORDER]

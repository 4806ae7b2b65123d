"""Writes for the annual evaluation: frames (criteria as data), rounds, scores with reasons, the collective's
proposal and the level above's decision, each step audited; approved is final."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chithi.core.permissions import Action
from chithi.core.writes import acting_user, locked, model_update, require_active, save_new
from chithi.orgs.models import Organisation, Person

from .. import rules
from ..models import (
    LEVEL_ORDER,
    Criterion,
    Evaluation,
    EvaluationStatus,
    FormKind,
    Frame,
    Level,
    Round,
    RoundStatus,
    Score,
)
from ..policy import DECIDE, EVALUATION, PROPOSE, SCORE
from .common import check_person_in, raise_if, require_on


def condition_label(name: str) -> str:
    labels = {
        "all_tasks_on_time": _("every task done on time"),
        # Shares as a placeholder: "30% o…" reads to gettext as a format directive ("% o") its translation lacks.
        "exceeded_share_30": _("at least %(share)s%% of tasks exceeded") % {"share": 30},
        "no_discipline": _("no discipline in the year"),
        "no_subordinate_discipline": _("no subordinate unit or leadership member disciplined"),
        "late_share_at_most_20": _("at most %(share)s%% of tasks late") % {"share": 20},
    }
    return labels.get(name, name)


@transaction.atomic
def install_frame(*, year: int, name: str = "", source: str = "") -> Frame:
    """The built-in frame of Hướng dẫn 43-HD/BTCTW (2025) as data rows; next year's frame is another call with
    other rows, not a release."""
    frame = Frame.objects.create(
        year=year, name=name or f"Khung đánh giá, xếp loại chất lượng năm {year}",
        source=source or "Quy định 366-QĐ/TW (30/08/2025); Hướng dẫn 43-HD/BTCTW (31/10/2025)",
        rules=rules.RULES_2025)
    Criterion.objects.bulk_create([
        Criterion(frame=frame, group=group, code=code, title=title, max_points=Decimal(points), forms=forms,
                  evidence=evidence, position=i)
        for i, (group, code, title, points, forms, evidence) in enumerate(rules.FRAME_2025)])
    return frame


@transaction.atomic
def open_round(*, actor: Any, organisation: Organisation, year: int, deadline: dt.date,
               frame: Frame | None = None) -> Round:
    require_on(actor, Action.ADD, organisation)
    require_active(organisation)
    errors: dict[str, str] = {}
    if Round.objects.filter(organisation=organisation, year=year).exists():
        errors["year"] = _("The %(year)s evaluation is already open at %(unit)s.") % {"year": year,
                                                                                     "unit": organisation.name}
    if deadline.year < year:
        errors["deadline"] = _("The deadline cannot be before the year evaluated.")
    raise_if(errors)
    frame = frame or Frame.objects.filter(year=year).first() or install_frame(year=year)
    return save_new(Round(organisation=organisation, frame=frame, year=year, deadline=deadline), actor=actor)


@transaction.atomic
def start_evaluation(*, actor: Any, round: Round, organisation: Organisation, form_kind: str,
                     person: Person | None = None) -> Evaluation:
    """A collective's form (person None) or a member's (2A/2B/2C), in a unit of the round's subtree."""
    own = person is not None and getattr(actor, "person_id", None) == person.pk
    if not own:
        require_on(actor, Action.CHANGE, organisation)
    errors: dict[str, str] = {}
    if round.status != RoundStatus.OPEN:
        errors["round"] = pgettext("evaluation", "The round is closed.")
    if not organisation.path.startswith(round.organisation.path):
        errors["organisation"] = _("%(unit)s is outside the round of %(round)s.") % {
            "unit": organisation.name, "round": round.organisation.name}
    if form_kind not in FormKind.values:
        errors["form_kind"] = _("Unknown form.")
    elif (form_kind == FormKind.COLLECTIVE) != (person is None):
        errors["form_kind"] = _("The collective form is for a party organisation; 2A, 2B and 2C are for members.")
    raise_if(errors)
    check_person_in(person, organisation, "person")
    existing = Evaluation.objects.filter(round=round, organisation=organisation, person__isnull=True) \
        if person is None else Evaluation.objects.filter(round=round, person=person)
    if existing.exists():
        raise ValidationError({"person" if person else "organisation": _("This evaluation already exists.")})
    evaluation = Evaluation(round=round, organisation=organisation, person=person, form_kind=form_kind)
    return save_new(evaluation, actor=actor, related=organisation)


def criteria_of(evaluation: Evaluation) -> list[Criterion]:
    return list(evaluation.round.frame.criteria.filter(forms__contains=f",{evaluation.form_kind},"))


@transaction.atomic
def set_score(*, actor: Any, evaluation: Evaluation, criterion: Criterion, points: Any, reason: str = "") -> Score:
    """A score within the criterion's range. Raising or lowering a score already given needs a written reason
    (kept, and audited with the change)."""
    EVALUATION.check(actor, SCORE, evaluation)
    evaluation = locked(evaluation)
    if evaluation.status == EvaluationStatus.APPROVED:  # re-read under the lock
        raise ValidationError(_("The evaluation is approved; it is final."))
    try:
        value = Decimal(str(points))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"points": _("Write the points as a number.")}) from exc
    if criterion.frame_id != evaluation.round.frame_id or f",{evaluation.form_kind}," not in criterion.forms:
        raise ValidationError({"criterion": _("This criterion is not on this form.")})
    if not Decimal(0) <= value <= criterion.max_points:
        raise ValidationError({"points": _("Criterion %(code)s is scored from 0 to %(max)s points.") % {
            "code": criterion.code, "max": f"{criterion.max_points:g}"}})
    score = Score.objects.filter(evaluation=evaluation, criterion=criterion).first()
    if score is None:
        score = save_new(Score(evaluation=evaluation, criterion=criterion, points=value, reason=reason.strip()),
                         actor=actor, related=evaluation)
    else:
        if value != score.points and not reason.strip():
            raise ValidationError({"reason": _("Say why the score changes from %(old)s to %(new)s.") % {
                "old": f"{score.points:g}", "new": f"{value:g}"}})
        score, _changed = model_update(instance=score, data={"points": value, "reason": reason.strip()},
                                       fields=("points", "reason"), actor=actor, related=evaluation)
    total = Score.objects.filter(evaluation=evaluation).aggregate(t=Sum("points"))["t"] or Decimal(0)
    Evaluation.objects.filter(pk=evaluation.pk).update(total=total, updated_at=timezone.now())
    return score


def facts_for(evaluation: Evaluation, *, tasks_exceeded: int = 0) -> dict[str, Any]:
    """What the level conditions read, from the product (the share exceeded is declared by the collective: the
    product does not hold targets in comparable numbers)."""
    from ..selectors.evidence import collective_evidence, member_evidence

    evidence = (member_evidence(evaluation.person, evaluation.round.year) if evaluation.person
                else collective_evidence(evaluation.organisation, evaluation.round.year))
    return facts_from_evidence(evidence, tasks_exceeded=tasks_exceeded)


def facts_from_evidence(evidence: dict[str, Any], *, tasks_exceeded: int = 0) -> dict[str, Any]:
    tasks = evidence["tasks"]
    discipline = evidence["discipline"]
    return {"tasks_total": tasks["total"], "tasks_on_time": tasks["on_time"], "tasks_late": tasks["late"],
            "tasks_exceeded": tasks_exceeded, "disciplined": discipline["own"],
            "subordinate_disciplined": discipline["subordinate"]}


def failed_conditions(names: list[str], facts: dict[str, Any]) -> list[str]:
    total = facts.get("tasks_total", 0)
    checks = {
        "all_tasks_on_time": facts.get("tasks_on_time", 0) >= total and facts.get("tasks_late", 0) == 0,
        "exceeded_share_30": total == 0 or facts.get("tasks_exceeded", 0) * 100 >= 30 * total,
        "no_discipline": not facts.get("disciplined"),
        "no_subordinate_discipline": not facts.get("subordinate_disciplined"),
        "late_share_at_most_20": total == 0 or facts.get("tasks_late", 0) * 100 <= 20 * total,
    }
    return [name for name in names if not checks.get(name, False)]


def best_level(frame: Frame, total: Decimal, facts: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """The highest level the points and the frame's conditions allow, and why each higher one is not."""
    why: dict[str, list[str]] = {}
    for level in LEVEL_ORDER:
        rule = frame.rules.get(level, {"min": 0, "conditions": []})
        if total < Decimal(str(rule.get("min", 0))):
            why[level] = [_("%(min)s points needed") % {"min": rule.get("min")}]
            continue
        failed = failed_conditions(list(rule.get("conditions", [])), facts)
        if failed:
            why[level] = [condition_label(name) for name in failed]
            continue
        return level, why
    return Level.NOT_DONE, why


def _check_level(evaluation: Evaluation, level: str, facts: dict[str, Any]) -> None:
    if level not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    best, why = best_level(evaluation.round.frame, evaluation.total, facts)
    if LEVEL_ORDER.index(Level(level)) < LEVEL_ORDER.index(Level(best)):
        reasons = "; ".join(why.get(level, []))
        raise ValidationError({"level": _("%(level)s is not allowed with %(points)s points: %(why)s.") % {
            "level": Level(level).label, "points": f"{evaluation.total:g}", "why": reasons}})


def _check_complete(evaluation: Evaluation) -> None:
    expected = {c.pk for c in criteria_of(evaluation)}
    scored = set(Score.objects.filter(evaluation=evaluation).values_list("criterion_id", flat=True))
    if expected - scored:
        raise ValidationError(_("Score every criterion first (%(n)s left).") % {"n": len(expected - scored)})


@transaction.atomic
def self_assess(*, actor: Any, evaluation: Evaluation, level: str) -> Evaluation:
    """The member's (or the collective's) own level, within what the points and conditions allow."""
    EVALUATION.check(actor, SCORE, evaluation)
    evaluation = locked(evaluation)
    _check_complete(evaluation)
    _check_level(evaluation, level, facts_for(evaluation))
    evaluation, _changed = model_update(instance=evaluation, data={"self_level": level}, fields=("self_level",),
                                        actor=actor)
    return evaluation


@transaction.atomic
def propose(*, actor: Any, evaluation: Evaluation, level: str, tasks_exceeded: int = 0) -> Evaluation:
    """The collective proposes a level (for itself or one of its members)."""
    EVALUATION.check(actor, PROPOSE, evaluation)
    evaluation = locked(evaluation)
    _check_complete(evaluation)
    if tasks_exceeded < 0:
        raise ValidationError({"tasks_exceeded": _("A count cannot be negative.")})
    facts = facts_for(evaluation, tasks_exceeded=tasks_exceeded)
    if tasks_exceeded > facts["tasks_total"]:
        raise ValidationError({"tasks_exceeded": _("More tasks exceeded than tasks (%(n)s).") % {
            "n": facts["tasks_total"]}})
    _check_level(evaluation, level, facts)
    data = {"proposed_level": level, "self_level": evaluation.self_level or level, "facts": facts,
            "status": EvaluationStatus.PROPOSED, "proposed_on": timezone.localdate()}
    evaluation, _changed = model_update(instance=evaluation, data=data, fields=tuple(data), actor=actor)
    return evaluation


@transaction.atomic
def decide(*, actor: Any, evaluation: Evaluation, level: str) -> Evaluation:
    """The level above decides; once approved the evaluation is final. The frame's cap on the share of
    "excellent" per unit (off unless the frame sets one) is checked here."""
    EVALUATION.check(actor, DECIDE, evaluation)
    evaluation = locked(evaluation)
    _check_level(evaluation, level, evaluation.facts)
    cap = evaluation.round.frame.excellent_cap_percent
    if level == Level.EXCELLENT and cap is not None:
        siblings = Evaluation.objects.filter(round=evaluation.round, organisation=evaluation.organisation,
                                             person__isnull=evaluation.person_id is None)
        excellent = siblings.filter(decided_level=Level.EXCELLENT).exclude(pk=evaluation.pk).count() + 1
        if excellent * 100 > cap * siblings.count():
            raise ValidationError({"level": _("At most %(cap)s%% of %(unit)s can be rated excellent.") % {
                "cap": cap, "unit": evaluation.organisation.name}})
    data = {"decided_level": level, "status": EvaluationStatus.APPROVED, "decided_on": timezone.localdate(),
            "decided_by": acting_user(actor)}
    evaluation, _changed = model_update(instance=evaluation, data=data, fields=tuple(data), actor=actor)
    return evaluation


@transaction.atomic
def send_back(*, actor: Any, evaluation: Evaluation, reason: str) -> Evaluation:
    """The level above returns a proposal to the collective (before approving)."""
    EVALUATION.check(actor, DECIDE, evaluation)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it goes back.")})
    evaluation, _changed = model_update(instance=locked(evaluation), actor=actor, note=reason.strip(),
                                        data={"status": EvaluationStatus.DRAFT, "proposed_level": ""},
                                        fields=("status", "proposed_level"))
    return evaluation

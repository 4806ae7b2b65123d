"""Pages for the annual evaluation: rounds, one evaluation with the product's evidence beside each criterion,
its steps (scores, self-assessment, the collective's proposal, the decision above) and the summary table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chithi.core.forms import apply_service_errors, form_page
from chithi.core.history import history_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any
from chithi.orgs.models import Organisation

from .. import services
from ..forms import LevelForm, ProposeForm, RoundForm, ScoresForm, SendBackForm, StartEvaluationForm
from ..models import Evaluation, Level, Score
from ..policy import DECIDE, EVALUATION, PROPOSE, SCORE
from ..selectors import evaluation as selectors
from .common import FORM, offered, policy_step, step_page


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    person_id = getattr(request.user, "person_id", None)
    mine = list(Evaluation.objects.filter(person_id=person_id).select_related("round", "organisation")) \
        if person_id else []
    return render(request, "oversight/round_list.html", {
        "rounds": selectors.visible_rounds(request.user), "mine": mine,
        "can_add": has_any(request.user, Action.ADD)})


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, user=request.user)
    return form_page(request, form=form, title=_("Open the year's evaluation"), template=FORM,
                     save=lambda data: services.open_round(actor=request.user, **data),
                     success=_("The evaluation is open."))


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_detail(user=request.user, pk=pk)
    evaluations = selectors.round_evaluations(user=request.user, round=round_)
    return render(request, "oversight/round_detail.html", {
        "round": round_, "evaluations": evaluations[:500], "count": evaluations.count(),
        "can_start": has_any(request.user, Action.CHANGE),
        "summary_unit": selectors.summary_unit(user=request.user, round=round_),
        "criteria": list(round_.frame.criteria.all())})


@login_required
def evaluation_start(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_detail(user=request.user, pk=pk)
    form = StartEvaluationForm(request.POST or None, user=request.user, unit=round_.organisation)
    return step_page(request, obj=round_, form=form, title=_("Start an evaluation form"),
                     save=lambda data: services.start_evaluation(actor=request.user, round=round_, **data),
                     success=_("The form is started."), back=None)


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    rows, evidence = selectors.criterion_rows(evaluation)
    facts = evaluation.facts or services.facts_from_evidence(evidence)
    best, why = services.best_level(evaluation.round.frame, evaluation.total, facts)
    return render(request, "oversight/evaluation_detail.html", {
        "evaluation": evaluation, "rows": rows, "actions": EVALUATION.allowed(request.user, evaluation),
        "best_label": Level(best).label, "why": [(Level(k).label, v) for k, v in why.items()], "facts": facts})


@login_required
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    return history_page(request, evaluation, back_url=evaluation.get_absolute_url())


@login_required
def evaluation_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Every criterion's score on one form, saved all together or not at all."""
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    if (refused := offered(request, EVALUATION, SCORE, evaluation)) is not None:
        return refused
    criteria = services.criteria_of(evaluation)
    scores = {s.criterion_id: s for s in Score.objects.filter(evaluation=evaluation)}
    form = ScoresForm(request.POST or None, criteria=criteria, scores=scores)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for criterion in criteria:
                    points = form.cleaned_data.get(f"points_{criterion.pk}")
                    if points is None:
                        continue
                    try:
                        services.set_score(actor=request.user, evaluation=evaluation, criterion=criterion,
                                           points=points, reason=form.cleaned_data.get(f"reason_{criterion.pk}", ""))
                    except ValidationError as exc:
                        field = "reason" if "reason" in getattr(exc, "error_dict", {}) else "points"
                        raise ValidationError({f"{field}_{criterion.pk}": exc.messages}) from exc
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("The scores are saved."))
            return redirect(evaluation)
    return render(request, "oversight/scores.html", {"evaluation": evaluation, "form": form})


def _level_step(request: HttpRequest, pk: int, action: str, form_class: Any, title: str, service: Any,
                success: str) -> HttpResponse:
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    if (refused := offered(request, EVALUATION, action, evaluation)) is not None:
        return refused
    facts = evaluation.facts or services.facts_for(evaluation)
    best, _why = services.best_level(evaluation.round.frame, evaluation.total, facts)
    form = form_class(request.POST or None, initial={"level": best})
    return step_page(request, obj=evaluation, form=form, title=title, success=success,
                     save=lambda data: service(actor=request.user, evaluation=evaluation, **data),
                     intro=_("%(points)s points; the highest level the points and conditions allow now: %(level)s.")
                     % {"points": f"{evaluation.total:g}", "level": Level(best).label})


@login_required
def evaluation_self(request: HttpRequest, pk: int) -> HttpResponse:
    return _level_step(request, pk, SCORE, LevelForm, _("Self-assessed level"), services.self_assess,
                       _("Your level is recorded."))


@login_required
def evaluation_propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _level_step(request, pk, PROPOSE, ProposeForm, _("The collective proposes a level"), services.propose,
                       _("Proposed; the level above decides."))


@login_required
def evaluation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _level_step(request, pk, DECIDE, LevelForm, _("Decide the level"), services.decide,
                       _("Decided; the evaluation is final."))


@login_required
def evaluation_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    return policy_step(request, EVALUATION, DECIDE, evaluation, form=SendBackForm(request.POST or None),
                       title=_("Send back"), success=_("Sent back to the collective."),
                       save=lambda data: services.send_back(actor=request.user, evaluation=evaluation, **data))


@login_required
def round_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The official summary table of one unit (printable): `?unit=` a unit in the user's scope, else the
    round's unit."""
    round_ = selectors.round_detail(user=request.user, pk=pk)
    unit_id = request.GET.get("unit", "")
    unit = get_scoped_or_404(Organisation, request.user, pk=int(unit_id)) if unit_id.isdigit() else round_.organisation
    if not unit.path.startswith(round_.organisation.path) or not allowed_on_path(request.user, "export", unit.path):
        raise Http404
    rows = selectors.unit_summary(user=request.user, round=round_, unit=unit)
    return render(request, "oversight/summary.html", {
        "round": round_, "unit": unit, "rows": rows, "levels": selectors.level_labels()})

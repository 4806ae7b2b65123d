"""Pages for inspection and supervision: programmes, cases (the whole life on one page) and remedial work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core.forms import form_page, run_action
from chithi.core.history import history_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404

from .. import services
from ..forms import (
    CaseEditForm,
    CaseForm,
    ConcludeForm,
    DisciplineRecordForm,
    ExtendForm,
    ItemForm,
    ProgrammeEditForm,
    ProgrammeForm,
    RecommendationForm,
    ReportForm,
    SelfReportForm,
)
from ..models import CaseKind, CaseStatus, ProgrammeItem, SelfReportFile
from ..policy import (
    ADD_ITEM,
    CASE,
    CONCLUDE,
    EDIT,
    EXTEND,
    ITEM,
    PROGRAMME,
    PULL_EVIDENCE,
    RECOMMEND,
    REMEDY,
    REPORT,
    SEE,
    SELF_REPORT,
    VERIFY,
)
from ..selectors import inspection as selectors
from ..services.inspection import CASE_FIELDS
from .common import FORM, list_page, offered, policy_step, step_page


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "oversight/programme_list.html", selectors.visible_programmes(request.user))


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, user=request.user)
    return form_page(request, form=form, title=_("New inspection programme"), template=FORM,
                     save=lambda data: services.create_programme(actor=request.user, **data),
                     success=_("The programme is created."))


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_detail(user=request.user, pk=pk)
    items = selectors.programme_items(programme)
    for item in items:
        item.actions = ITEM.allowed(request.user, item)  # type: ignore[attr-defined]
    return render(request, "oversight/programme_detail.html", {
        "programme": programme, "items": items, "actions": PROGRAMME.allowed(request.user, programme)})


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_detail(user=request.user, pk=pk)
    form = ProgrammeEditForm(request.POST or None, initial=model_to_dict(programme, ("year", "title", "number")))
    return policy_step(request, PROGRAMME, EDIT, programme, form=form, title=_("Edit the programme"),
                       save=lambda data: services.update_programme(actor=request.user, programme=programme, **data),
                       success=_("Saved."))


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    form = ItemForm(request.POST or None, user=request.user, unit=item.programme.organisation,
                    initial=model_to_dict(item, ("target_unit", "target_person", "kind", "content", "quarter")))
    return policy_step(request, ITEM, EDIT, item, back=item.programme, form=form,
                       title=_("Edit the programme item"),
                       save=lambda data: services.update_item(actor=request.user, item=item, **data),
                       success=_("Saved."))


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_detail(user=request.user, pk=pk)
    form = ItemForm(request.POST or None, user=request.user, unit=programme.organisation)
    return policy_step(request, PROGRAMME, ADD_ITEM, programme, form=form, title=_("Add to the programme"),
                       save=lambda data: services.add_item(actor=request.user, programme=programme, **data),
                       success=_("Added to the programme."))


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.visible_cases(request.user)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in CaseKind.values:
        cases = cases.filter(kind=kind)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    return list_page(request, "oversight/case_list.html", cases, kinds=CaseKind.choices,
                     statuses=CaseStatus.choices, kind=kind, status=status)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    item = None
    initial = {}
    if request.GET.get("item", "").isdigit():
        item = get_scoped_or_404(ProgrammeItem.objects.select_related("programme__organisation"), request.user,
                                 Action.CHANGE, pk=int(request.GET["item"]))
        initial = {"inspecting": item.programme.organisation, "inspected_unit": item.target_unit,
                   "inspected_person": item.target_person, "kind": item.kind, "subject": item.content[:500]}
    form = CaseForm(request.POST or None, user=request.user, initial=initial)
    return form_page(request, form=form, title=_("New inspection case"), template=FORM,
                     save=lambda data: services.open_case(actor=request.user, item=item, **data),
                     success=_("The case is opened."))


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    remedies = list(case.remedies.all())
    for remedy in remedies:
        remedy.actions = REMEDY.allowed(request.user, remedy)  # type: ignore[attr-defined]
    return render(request, "oversight/case_detail.html", {
        "case": case, "remedies": remedies, "actions": CASE.allowed(request.user, case),
        "team": list(case.team.all()), "disciplines": list(case.disciplines.all()),
        "can_discipline": allowed_on_path(request.user, Action.CHANGE, case.inspecting.path),
        "report_form": ReportForm()})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    initial = {**model_to_dict(case, CASE_FIELDS), "team": list(case.team.all())}
    form = CaseEditForm(request.POST or None, user=request.user, inspected=case.inspected_unit, initial=initial)
    return policy_step(request, CASE, EDIT, case, form=form, title=_("Edit the case"),
                       save=lambda data: services.update_case(actor=request.user, case=case, **data),
                       success=_("Saved."),
                       intro=_("Time limit: %(limit)s days, extended by %(extension)s; due on %(due)s.") % {
                         "limit": case.time_limit_days, "extension": case.extension_days,
                         "due": f"{case.due_on:%d/%m/%Y}"})


@login_required
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    return history_page(request, case, back_url=case.get_absolute_url())


@login_required
def case_extend(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    return policy_step(request, CASE, EXTEND, case, form=ExtendForm(request.POST or None),
                       title=_("Extend the time limit"),
                       save=lambda data: services.extend_case(actor=request.user, case=case, **data),
                       success=_("The time limit is extended."),
                       intro=_("At most a third of the time limit (%(limit)s days) in all.") % {
                         "limit": case.time_limit_days})


@login_required
def case_self_report(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    form = SelfReportForm(request.POST or None, request.FILES or None, initial={"text": case.self_report})
    return policy_step(request, CASE, SELF_REPORT, case, form=form, title=_("Self-report of the inspected body"),
                       save=lambda data: services.submit_self_report(actor=request.user, case=case, **data),
                       success=_("The self-report is recorded."))


@login_required
def self_report_file(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded self-report, to the authorised roles of either unit only (404 to anyone else), never
    cached by a shared cache; documents download, checked images show inline."""
    attached = get_scoped_or_404(SelfReportFile.objects.all(), request.user, SEE, pk=pk)
    try:
        handle = attached.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    image = attached.content_type.startswith("image/")
    response = FileResponse(handle, content_type=attached.content_type or "application/octet-stream",
                            as_attachment=not image, filename=attached.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    form = ConcludeForm(request.POST or None, initial={"findings": case.findings, "conclusions": case.conclusions})
    return policy_step(request, CASE, CONCLUDE, case, form=form, title=_("Findings and conclusions"),
                       save=lambda data: services.conclude_case(actor=request.user, case=case, **data),
                       success=_("The case is concluded."))


@login_required
def case_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    form = RecommendationForm(request.POST or None, user=request.user, unit=case.inspected_unit)
    return policy_step(request, CASE, RECOMMEND, case, form=form, title=_("Recommendation and remedial work"),
                       save=lambda data: services.add_recommendation(actor=request.user, case=case, **data),
                       success=_("The remedial work is assigned."))


@login_required
def case_discipline(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    if not allowed_on_path(request.user, Action.CHANGE, case.inspecting.path):
        raise Http404  # the inspecting unit records the discipline its conclusions lead to
    form = DisciplineRecordForm(request.POST or None, user=request.user, unit=case.inspected_unit)
    return step_page(request, obj=case, form=form, title=_("Record a discipline decision"),
                     save=lambda data: services.record_discipline(
                         actor=request.user, case=case, organisation=case.inspected_unit, **data),
                     success=_("The discipline is recorded."))


@login_required
@require_POST
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(user=request.user, pk=pk)
    if (refused := offered(request, CASE, PULL_EVIDENCE, case)) is not None:
        return refused
    run_action(request, services.pull_evidence, actor=request.user, case=case,
               success=_("The unit's figures for the period are pulled into the case."))
    return redirect(case)


@login_required
def remedy_report(request: HttpRequest, pk: int) -> HttpResponse:
    remedy = selectors.remedy_detail(user=request.user, pk=pk)
    form = ReportForm(request.POST or None, initial={"report": remedy.report})
    return policy_step(request, REMEDY, REPORT, remedy, back=remedy.case, form=form,
                       title=_("Report the remedial work done"), intro=remedy.recommendation,
                       save=lambda data: services.report_remedy(actor=request.user, remedy=remedy, **data),
                       success=_("Reported; the inspecting unit verifies it."))


@login_required
@require_POST
def remedy_verify(request: HttpRequest, pk: int) -> HttpResponse:
    remedy = selectors.remedy_detail(user=request.user, pk=pk)
    if not REMEDY.decide(request.user, remedy)[VERIFY].in_scope:
        raise Http404
    accept = request.POST.get("accept", "1") == "1"
    run_action(request, services.verify_remedy, actor=request.user, remedy=remedy, accept=accept,
               success=_("Verified and closed.") if accept else _("Sent back to the unit in charge."))
    return redirect(remedy.case)

"""Pages for directives, themes, plans, tasks and the progress roll-up. Views read through selectors, write
through services (core.forms: form_page, call_service, run_action) and offer only what policy.py allows;
anything outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core import panels as core_panels
from chithi.core.forms import call_service, form_page, import_page, page_form, run_action
from chithi.core.history import history_page
from chithi.core.pagination import list_page, paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any, restrict
from chithi.core.policy import OUT_OF_SCOPE, ObjectPolicy
from chithi.core.xlsx import write_xlsx, xlsx_response
from chithi.orgs.forms import ImportForm
from chithi.orgs.models import Organisation

from . import policy, selectors, services
from .filters import DirectiveFilterSet, PlanFilterSet, TaskFilterSet, ThemeFilterSet
from .forms import CascadeForm, DirectiveForm, EvidenceForm, PlanForm, ProgressForm, TaskForm, ThemeForm, UploadForm
from .models import Directive, DirectiveAttachment, PlanTask, TaskEvidence
from .progress import plan_progress


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _refused[T: Model](request: HttpRequest, rule: ObjectPolicy[T], action: str, obj: T) -> HttpResponse | None:
    """None when the policy allows `action` now; outside the scope a 404; otherwise back to the object's page
    with the reason (e.g. the plan was closed since the page was drawn)."""
    decision = rule.decide(request.user, obj).get(action, OUT_OF_SCOPE)
    if decision:
        return None
    if not decision.in_scope:
        raise Http404
    messages.error(request, decision.reason)
    return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]


def _initial(obj: Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _file_response(attachment: DirectiveAttachment | TaskEvidence) -> FileResponse:
    if not attachment.file:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# --- directives ---------------------------------------------------------------------------------


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "campaigns/directive_list.html", DirectiveFilterSet,
                     selectors.visible_directives(request.user), can_add=has_any(request.user, Action.ADD))


@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(selectors.visible_directives(request.user), request.user, pk=pk)
    return _directive_page(request, directive)


def _directive_page(request: HttpRequest, directive: Directive, upload_form: UploadForm | None = None) -> HttpResponse:
    allowed = policy.DIRECTIVE.allowed(request.user, directive)
    return render(request, "campaigns/directive_detail.html", {
        "directive": directive, "attachments": directive.attachments.all(), "allowed": allowed,
        "themes": selectors.visible_themes(request.user).filter(directive=directive),
        "upload_form": (upload_form or UploadForm()) if "attach" in allowed else None})


@login_required
def directive_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    return form_page(request, form=DirectiveForm(request.POST or None, user=request.user),
                     title=_("New directive or resolution"),
                     success=lambda directive: _("Recorded %(number)s.") % {"number": directive.number},
                     save=lambda data: services.create_directive(actor=request.user, **data))


@login_required
def directive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(selectors.visible_directives(request.user), request.user, pk=pk)
    if refused := _refused(request, policy.DIRECTIVE, "edit", directive):
        return refused
    form = DirectiveForm(request.POST or None, user=request.user, with_organisation=False,
                         initial=_initial(directive, services.DIRECTIVE_FIELDS))
    return form_page(request, form=form, title=str(directive), success=_("Saved."),
                     back_url=directive.get_absolute_url(),
                     save=lambda data: services.update_directive(actor=request.user, directive=directive, **data))


@login_required
@require_POST
def directive_upload(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(selectors.visible_directives(request.user), request.user, pk=pk)
    return page_form(request, UploadForm(request.POST, request.FILES), lambda data: services.add_directive_attachment(
        actor=request.user, directive=directive, upload=data["file"]), success=_("Document attached."),
        back=directive, page=lambda form: _directive_page(request, directive, upload_form=form))


@login_required
def directive_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(get_scoped_or_404(DirectiveAttachment, request.user, Action.VIEW, pk=pk))


@login_required
def directive_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_scoped_or_404(selectors.visible_directives(request.user), request.user, pk=pk))


# --- themes -------------------------------------------------------------------------------------


@login_required
def theme_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "campaigns/theme_list.html", ThemeFilterSet, selectors.visible_themes(request.user),
                     can_add=has_any(request.user, Action.ADD))


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_scoped_or_404(selectors.visible_themes(request.user), request.user, pk=pk)
    plans = selectors.visible_plans(request.user).filter(theme=theme).order_by("organisation__path")
    return render(request, "campaigns/theme_detail.html", {
        "theme": theme, "page": paginate(request, plans), "query": query_without_page(request),
        "allowed": policy.THEME.allowed(request.user, theme)})


@login_required
def theme_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial: dict[str, Any] = {"year": dt.date.today().year}
    if request.GET.get("directive"):
        initial["directive"] = request.GET["directive"]
    form = ThemeForm(request.POST or None, user=request.user, initial=initial)
    return form_page(request, form=form, title=_("New theme or breakthrough task"), success=_("Theme saved."),
                     save=lambda data: services.create_theme(actor=request.user, **data))


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_scoped_or_404(selectors.visible_themes(request.user), request.user, pk=pk)
    if refused := _refused(request, policy.THEME, "edit", theme):
        return refused
    initial = {**_initial(theme, ("year", "kind", "text")), "directive": theme.directive_id}
    form = ThemeForm(request.POST or None, user=request.user, with_organisation=False, initial=initial)
    return form_page(request, form=form, title=str(theme), success=_("Saved."), back_url=theme.get_absolute_url(),
                     save=lambda data: services.update_theme(actor=request.user, theme=theme, **data))


@login_required
def theme_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_scoped_or_404(selectors.visible_themes(request.user), request.user, pk=pk))


# --- plans --------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.visible_plans(request.user).order_by("-year", "organisation__path")
    return list_page(request, "campaigns/plan_list.html", PlanFilterSet, plans,
                     can_add=has_any(request.user, Action.ADD))


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    progress = plan_progress(plan)
    children = selectors.visible_plans(request.user).filter(parent=plan).order_by("organisation__sort_key")
    # An ordinary page the user may have just written on: its figures come from the primary database.
    roll = selectors.rollup(user=request.user, root=plan.organisation, theme_id=plan.theme_id, using=DEFAULT_DB_ALIAS,
                            levels=1)
    child_progress = {n.org_id: n for n in roll.roots[0].children} if roll.roots else {}
    return render(request, "campaigns/plan_detail.html", {
        "plan": plan, "tasks": selectors.plan_tasks(plan=plan), "progress": progress, "pct": round(progress),
        "children": [(c, child_progress.get(c.organisation_id)) for c in children],
        "allowed": policy.PLAN.allowed(request.user, plan), "today": dt.date.today(),
        "parent_visible": plan.parent_id is not None and restrict(type(plan).objects.filter(pk=plan.parent_id),
                                                                  request.user).exists(),
    })


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {key: request.GET[key] for key in ("theme", "organisation") if request.GET.get(key)}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    return form_page(request, form=form, title=_("New implementation plan"),
                     success=_("Plan created. Add its tasks, then issue it to the sub-units."),
                     save=lambda data: services.create_plan(actor=request.user, **data))


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    if refused := _refused(request, policy.PLAN, "edit", plan):
        return refused
    form = PlanForm(request.POST or None, user=request.user, with_scope_fields=False,
                    initial=_initial(plan, services.PLAN_FIELDS))
    return form_page(request, form=form, title=plan.title, success=_("Saved."), back_url=plan.get_absolute_url(),
                     save=lambda data: services.update_plan(actor=request.user, plan=plan, **data))


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    run_action(request, services.close_plan, success=_("Plan closed."), actor=request.user, plan=plan)
    return redirect(plan)


@login_required
def plan_cascade(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    if refused := _refused(request, policy.PLAN, "cascade", plan):
        return refused
    form = CascadeForm(request.POST or None, plan=plan)
    if request.method == "POST" and "back" in request.POST:
        pass  # "Change the choice" on the confirmation page: the form again, with the boxes as they were ticked
    elif request.method == "POST" and form.is_valid() and "confirm" not in request.POST:
        data = form.cleaned_data
        preview = call_service(form, services.preview_cascade, actor=request.user, plan=plan,
                               units=list(data["units"]), tasks=list(data["tasks"]),
                               lead_working_days=data["lead_working_days"])
        if preview is not None:
            return render(request, "campaigns/cascade_confirm.html", {
                "form": form, "preview": preview, "plan": plan, "back_url": plan.get_absolute_url(),
                "title": _("Issue “%(plan)s” to sub-units") % {"plan": plan.title}})
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service(form, services.cascade_plan, actor=request.user, plan=plan, units=list(data["units"]),
                              tasks=list(data["tasks"]), lead_working_days=data["lead_working_days"])
        if result is not None:
            messages.success(request, _("Issued to %(units)d units: %(new)d new plans, %(tasks)d new required "
                                        "tasks (%(existing)d already there).") % {
                "units": len(result.plans), "new": len(result.plans_created), "tasks": result.tasks_created,
                "existing": result.tasks_existing})
            return redirect(plan)
    return render(request, "campaigns/cascade.html", {
        "form": form, "title": _("Issue “%(plan)s” to sub-units") % {"plan": plan.title},
        "intro": _("Each chosen unit gets its own plan with these tasks as required tasks. Issuing again adds "
                   "only what is missing."), "back_url": plan.get_absolute_url()})


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.plan_detail(user=request.user, pk=pk))


# --- tasks --------------------------------------------------------------------------------------


def _tasks(request: HttpRequest, action: Action = Action.VIEW) -> QuerySet[PlanTask]:
    # The latest year first, then by deadline: a unit with years of history opened on 2017's tasks.
    return selectors.visible_tasks(request.user, action).order_by("-plan__year", "deadline", "id")


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "campaigns/task_list.html", TaskFilterSet, _tasks(request), today=dt.date.today(),
                     can_export=has_any(request.user, Action.EXPORT), can_import=has_any(request.user, Action.IMPORT))


@login_required
def task_export(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    tasks = TaskFilterSet(request.GET, queryset=_tasks(request, Action.EXPORT), request=request).qs
    columns = services.progress_columns()
    rows = [[t.pk, t.plan.organisation.name, t.plan.title, t.title, t.deadline, t.get_status_display(), t.progress,
             "", t.cancel_reason] for t in tasks[:20_000]]
    content = write_xlsx(headers=[c.header for c in columns], rows=rows, title=_("Tasks"))
    return xlsx_response(content, f"nhiem-vu-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def task_import(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.IMPORT):
        raise Http404
    return import_page(request, form=ImportForm(request.POST or None, request.FILES or None),
                       run=lambda content: services.import_progress(actor=request.user, source=content),
                       template="campaigns/task_import.html", redirect_to="campaigns:task_list",
                       success=lambda updates: _("Updated %(n)d tasks.") % {"n": len(updates)})


CASCADED_SHOWN = 100


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, selectors.task_detail(user=request.user, pk=pk))


def _task_page(request: HttpRequest, task: PlanTask, *, progress_form: ProgressForm | None = None,
               evidence_form: EvidenceForm | None = None) -> HttpResponse:
    """The task's page; a form posted from it and refused comes back bound, with its errors and what was typed."""
    allowed = policy.TASK.allowed(request.user, task)
    cascaded = restrict(PlanTask.objects.filter(source_task=task), request.user).select_related(
        "plan__organisation").order_by("plan__organisation__sort_key", "id")
    return render(request, "campaigns/task_detail.html", {
        "task": task, "timeline": selectors.task_timeline(task=task)[:100], "evidence": task.evidence.all(),
        # A unit in charge of a higher level's task reads the task, not that level's plan (models.InChargeReads…).
        "plan_readable": allowed_on_path(request.user, Action.VIEW, task.plan.organisation.path),
        "allowed": allowed, "today": dt.date.today(),
        "progress_form": (progress_form or ProgressForm(initial={"progress": task.progress}, task=task,
                                                        user=request.user))
        if "progress" in allowed else None,
        "evidence_form": (evidence_form or EvidenceForm()) if "evidence" in allowed else None,
        # A province task can reach thousands of units: the page shows the first ones and the count.
        "cascaded": cascaded[:CASCADED_SHOWN], "cascaded_count": cascaded.count(),
        # Sections other rooms add (practices offered as evidence), without importing them here.
        "panels": core_panels.render_context("campaigns.plantask", user=request.user, obj=task),
    })


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    if refused := _refused(request, policy.PLAN, "add_task", plan):
        return refused
    return form_page(request, form=TaskForm(request.POST or None, plan=plan), success=_("Task added."),
                     title=_("New task in %(plan)s") % {"plan": plan.title}, back_url=plan.get_absolute_url(),
                     save=lambda data: services.create_task(actor=request.user, plan=plan, **data),
                     redirect_to=lambda task: plan)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk)
    if refused := _refused(request, policy.TASK, "edit", task):
        return refused
    form = TaskForm(request.POST or None, plan=task.plan, task=task, initial=_initial(task, services.TASK_FIELDS))
    return form_page(request, form=form, title=task.title, success=_("Saved."), back_url=task.get_absolute_url(),
                     save=lambda data: services.update_task(actor=request.user, task=task, **data))


@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk)
    # Offers the statuses the policy allows for this task, also when drawn again after a refusal; any known one is
    # read, so a refused cancel is told by the service with the policy's reason.
    form = ProgressForm(request.POST, task=task, user=request.user)
    return page_form(request, form, lambda data: services.report_progress(
        actor=request.user, task=task, **{**data, "status": data["status"] or None}),
        success=_("Progress recorded."), back=task, page=lambda form: _task_page(request, task, progress_form=form))


@login_required
@require_POST
def task_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk)
    return page_form(request, EvidenceForm(request.POST, request.FILES), lambda data: services.add_evidence(
        actor=request.user, task=task, kind=data["kind"], upload=data["file"], url=data["url"], note=data["note"]),
        success=_("Evidence added."), back=task, page=lambda form: _task_page(request, task, evidence_form=form))


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(get_scoped_or_404(TaskEvidence, request.user, Action.VIEW, pk=pk))


@login_required
def task_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.task_detail(user=request.user, pk=pk))


# --- roll-up ------------------------------------------------------------------------------------

ROLLUP_LEVELS = 2  # the focused unit and two levels below: city → wards → cells on one page
# Above this many rows the page lists one level only: at the centre, two levels are every ward of the country
# (3,321 rows, 3.3 MB of HTML); each row still drills down.
ROLLUP_MAX_ROWS = 400


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    """Progress of the subtree as a tree table with bars; every row drills down to that unit (`?unit=`)."""
    unit_id = _int_param(request, "unit")
    root = get_scoped_or_404(Organisation, request.user, pk=unit_id) if unit_id else None
    year = _int_param(request, "year")
    if "year" not in request.GET:
        year = dt.date.today().year
    theme_id = _int_param(request, "theme")
    result = selectors.rollup(user=request.user, root=root, year=year, theme_id=theme_id, levels=ROLLUP_LEVELS)
    overdue_count = sum(node.overdue for node in result.roots)
    overdue = selectors.overdue_tasks(user=request.user, root=root, year=year, theme_id=theme_id)[:50]
    themes = selectors.visible_themes(request.user)
    if year:
        themes = themes.filter(year=year)
    ancestors = []
    if root is not None:
        ancestors = list(restrict(Organisation.objects.filter(path__in=root.ancestor_paths()[:-1]), request.user)
                         .order_by("depth"))
    rows = result.flatten(ROLLUP_LEVELS)
    deeper = 0
    if len(rows) > ROLLUP_MAX_ROWS:
        shallow = result.flatten(1)
        deeper, rows = len(rows) - len(shallow), shallow
    return render(request, "campaigns/rollup.html", {
        "rows": rows, "deeper": deeper, "root": root, "ancestors": ancestors, "year": year,
        "theme_id": theme_id, "themes": themes, "years": selectors.plan_years(request.user),
        "overdue": overdue, "overdue_count": overdue_count, "today": result.today,
    })


# --- organisation page panel ----------------------------------------------------------------------


def org_panel_context(*, user: Any, obj: Organisation) -> dict[str, Any]:
    org = obj
    plans = list(selectors.visible_plans(user).filter(organisation=org).order_by("-year", "id")[:6])
    if not plans and not org.is_active:
        return {}
    year = plans[0].year if plans else dt.date.today().year
    roll = selectors.rollup(user=user, root=org, year=year, using=DEFAULT_DB_ALIAS, levels=0)
    node = roll.roots[0] if roll.roots else None
    return {"org": org, "plans": plans, "year": year, "node": node,
            "can_add": org.is_active and allowed_on_path(user, Action.ADD, org.path)}

"""Pages for directives, themes, plans, tasks and the progress roll-up. Views read through selectors and write
through services; anything outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core import panels as core_panels
from chithi.core.forms import apply_service_errors, run_action
from chithi.core.history import history_page
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any, restrict
from chithi.core.xlsx import ImportRejected, write_xlsx, xlsx_response
from chithi.orgs.forms import ImportForm
from chithi.orgs.models import Organisation

from . import selectors, services
from .filters import DirectiveFilterSet, PlanFilterSet, TaskFilterSet, ThemeFilterSet
from .forms import (
    CascadeForm,
    DirectiveForm,
    EvidenceForm,
    PlanForm,
    ProgressForm,
    TaskForm,
    ThemeForm,
    UploadForm,
)
from .models import Directive, DirectiveAttachment, Plan, PlanTask, TaskEvidence, TaskStatus, Theme


def _history(request: HttpRequest, obj: Model, back_url: str) -> HttpResponse:
    return history_page(request, obj, back_url=back_url)


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _run(form: Any, call: Any) -> Any:
    """Call a service; its ValidationError lands on the form, a PermissionDenied is a 404."""
    try:
        return call()
    except ValidationError as exc:
        apply_service_errors(form, exc)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    return None


# --- directives ---------------------------------------------------------------------------------


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    filterset = DirectiveFilterSet(request.GET, queryset=selectors.visible_directives(request.user))
    return render(request, "campaigns/directive_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "can_add": has_any(request.user, Action.ADD)})


@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(selectors.visible_directives(request.user), request.user, pk=pk)
    can_change = allowed_on_path(request.user, Action.CHANGE, directive.organisation.path)
    return render(request, "campaigns/directive_detail.html", {
        "directive": directive, "attachments": directive.attachments.all(),
        "themes": selectors.visible_themes(request.user).filter(directive=directive),
        "can_change": can_change, "upload_form": UploadForm() if can_change else None})


@login_required
def directive_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    form = DirectiveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        directive = _run(form, lambda: services.create_directive(actor=request.user, **form.cleaned_data))
        if directive is not None:
            messages.success(request, _("Recorded %(number)s.") % {"number": directive.number})
            return redirect(directive)
    return render(request, "core/form_page.html", {"form": form, "title": _("New directive or resolution")})


@login_required
def directive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(Directive.objects.select_related("organisation"), request.user, Action.CHANGE,
                                  pk=pk)
    if not allowed_on_path(request.user, Action.CHANGE, directive.organisation.path):
        raise Http404  # the upward read scope never grants editing a higher level's document
    initial = {name: getattr(directive, name) for name in ("kind", "number", "issued_on", "issuer", "title",
                                                           "summary")}
    form = DirectiveForm(request.POST or None, user=request.user, with_organisation=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _run(form, lambda: services.update_directive(actor=request.user, directive=directive,
                                                             **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(directive)
    return render(request, "core/form_page.html", {"form": form, "title": str(directive),
                                                   "back_url": directive.get_absolute_url()})


@login_required
@require_POST
def directive_upload(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(Directive.objects.select_related("organisation"), request.user, Action.CHANGE,
                                  pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        run_action(request, services.add_directive_attachment, success=_("Document attached."),
                   actor=request.user, directive=directive, upload=form.cleaned_data["file"])
    else:
        messages.error(request, _("Choose a file."))
    return redirect(directive)


def _file_response(attachment: DirectiveAttachment | TaskEvidence) -> FileResponse:
    if not attachment.file:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def directive_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(get_scoped_or_404(DirectiveAttachment, request.user, Action.VIEW, pk=pk))


@login_required
def directive_history(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_scoped_or_404(Directive, request.user, pk=pk)
    return _history(request, directive, directive.get_absolute_url())


# --- themes -------------------------------------------------------------------------------------


@login_required
def theme_list(request: HttpRequest) -> HttpResponse:
    filterset = ThemeFilterSet(request.GET, queryset=selectors.visible_themes(request.user))
    return render(request, "campaigns/theme_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "can_add": has_any(request.user, Action.ADD)})


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_scoped_or_404(selectors.visible_themes(request.user), request.user, pk=pk)
    plans = selectors.visible_plans(request.user).filter(theme=theme).order_by("organisation__path")
    return render(request, "campaigns/theme_detail.html", {
        "theme": theme, "page": paginate(request, plans), "query": query_without_page(request),
        "can_change": allowed_on_path(request.user, Action.CHANGE, theme.organisation.path),
        "can_plan": has_any(request.user, Action.ADD)})


@login_required
def theme_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial: dict[str, Any] = {"year": dt.date.today().year}
    if request.GET.get("directive"):
        initial["directive"] = request.GET["directive"]
    form = ThemeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        theme = _run(form, lambda: services.create_theme(actor=request.user, **form.cleaned_data))
        if theme is not None:
            messages.success(request, _("Theme saved."))
            return redirect(theme)
    return render(request, "core/form_page.html", {"form": form, "title": _("New theme or breakthrough task")})


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_scoped_or_404(Theme.objects.select_related("organisation"), request.user, Action.CHANGE, pk=pk)
    if not allowed_on_path(request.user, Action.CHANGE, theme.organisation.path):
        raise Http404
    initial = {"year": theme.year, "kind": theme.kind, "text": theme.text, "directive": theme.directive_id}
    form = ThemeForm(request.POST or None, user=request.user, with_organisation=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _run(form, lambda: services.update_theme(actor=request.user, theme=theme, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(theme)
    return render(request, "core/form_page.html", {"form": form, "title": str(theme),
                                                   "back_url": theme.get_absolute_url()})


@login_required
def theme_history(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_scoped_or_404(Theme, request.user, pk=pk)
    return _history(request, theme, theme.get_absolute_url())


# --- plans --------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    filterset = PlanFilterSet(request.GET, queryset=selectors.visible_plans(request.user).order_by(
        "-year", "organisation__path"))
    return render(request, "campaigns/plan_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "can_add": has_any(request.user, Action.ADD), "years": selectors.plan_years(request.user)})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    tasks = list(selectors.plan_tasks(plan=plan))
    live = [(t.weight, t.progress) for t in tasks if t.status != TaskStatus.CANCELLED]
    progress = selectors.task_progress(live)
    children = selectors.visible_plans(request.user).filter(parent=plan).order_by("organisation__sort_key")
    roll = selectors.rollup(user=request.user, root=plan.organisation, theme_id=plan.theme_id)
    child_progress = {n.org_id: n for n in roll.roots[0].children} if roll.roots else {}
    can_add = plan.is_open and allowed_on_path(request.user, Action.ADD, plan.organisation.path)
    return render(request, "campaigns/plan_detail.html", {
        "plan": plan, "tasks": tasks, "progress": progress, "pct": round(progress or 0),
        "children": [(c, child_progress.get(c.organisation_id)) for c in children],
        "can_change": plan.is_open and allowed_on_path(request.user, Action.CHANGE, plan.organisation.path),
        "can_add": can_add, "today": dt.date.today(),
        "can_cascade": can_add and plan.organisation.children.filter(dissolved_on__isnull=True).exists(),
        "parent_visible": plan.parent_id is not None and restrict(Plan.objects.filter(pk=plan.parent_id),
                                                                  request.user).exists(),
    })


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {key: request.GET[key] for key in ("theme", "organisation") if request.GET.get(key)}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = _run(form, lambda: services.create_plan(actor=request.user, **form.cleaned_data))
        if plan is not None:
            messages.success(request, _("Plan created. Add its tasks, then issue it to the sub-units."))
            return redirect(plan)
    return render(request, "core/form_page.html", {"form": form, "title": _("New implementation plan")})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {name: getattr(plan, name) for name in ("title", "number", "starts_on", "ends_on", "description")}
    form = PlanForm(request.POST or None, user=request.user, with_scope_fields=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _run(form, lambda: services.update_plan(actor=request.user, plan=plan, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(plan)
    return render(request, "core/form_page.html", {"form": form, "title": plan.title,
                                                   "back_url": plan.get_absolute_url()})


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk, action=Action.CHANGE)
    run_action(request, services.close_plan, success=_("Plan closed."), actor=request.user, plan=plan)
    return redirect(plan)


@login_required
def plan_cascade(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk, action=Action.ADD)
    form = CascadeForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        result = _run(form, lambda: services.cascade_plan(
            actor=request.user, plan=plan, units=list(form.cleaned_data["units"]),
            tasks=list(form.cleaned_data["tasks"]), lead_working_days=form.cleaned_data["lead_working_days"]))
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
    plan = selectors.plan_detail(user=request.user, pk=pk)
    return _history(request, plan, plan.get_absolute_url())


# --- tasks --------------------------------------------------------------------------------------


def _task_filterset(request: HttpRequest, action: Action = Action.VIEW) -> TaskFilterSet:
    return TaskFilterSet(request.GET, queryset=selectors.visible_tasks(request.user, action).order_by(
        "deadline", "id"))


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    filterset = _task_filterset(request)
    return render(request, "campaigns/task_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "today": dt.date.today(), "can_export": has_any(request.user, Action.EXPORT),
        "can_import": has_any(request.user, Action.IMPORT)})


@login_required
def task_export(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    tasks = _task_filterset(request, Action.EXPORT).qs
    columns = services.progress_columns()
    rows = [[t.pk, t.plan.organisation.name, t.plan.title, t.title, t.deadline, t.get_status_display(), t.progress,
             "", t.cancel_reason] for t in tasks[:20_000]]
    content = write_xlsx(headers=[c.header for c in columns], rows=rows, title=_("Tasks"))
    return xlsx_response(content, f"nhiem-vu-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def task_import(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.IMPORT):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            updates = services.import_progress(actor=request.user, source=form.cleaned_data["file"].read())
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Updated %(n)d tasks.") % {"n": len(updates)})
            return redirect("campaigns:task_list")
    return render(request, "campaigns/task_import.html", {"form": form, "errors": errors})


CASCADED_SHOWN = 100


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk)
    can_change = task.plan.is_open and allowed_on_path(request.user, Action.CHANGE, task.plan.organisation.path)
    cascaded = restrict(PlanTask.objects.filter(source_task=task), request.user).select_related(
        "plan__organisation").order_by("plan__organisation__sort_key", "id")
    return render(request, "campaigns/task_detail.html", {
        "task": task, "timeline": selectors.task_timeline(task=task)[:100], "evidence": task.evidence.all(),
        "can_change": can_change, "today": dt.date.today(),
        "progress_form": ProgressForm(initial={"progress": task.progress}) if can_change else None,
        "evidence_form": EvidenceForm() if can_change else None,
        # A province task can reach thousands of units: the page shows the first ones and the count.
        "cascaded": cascaded[:CASCADED_SHOWN], "cascaded_count": cascaded.count(),
        # Sections other rooms add (practices offered as evidence), without importing them here.
        "panels": core_panels.render_context("campaigns.plantask", user=request.user, obj=task),
    })


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk, action=Action.ADD)
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        task = _run(form, lambda: services.create_task(
            actor=request.user, plan=plan, title=data["title"], description=data["description"],
            deadline=data["deadline"], deadline_working_days=data["deadline_working_days"], weight=data["weight"],
            target=data["target"], owner_people=list(data["owner_people"]), owner_units=list(data["owner_units"])))
        if task is not None:
            messages.success(request, _("Task added."))
            return redirect(plan)
    return render(request, "core/form_page.html", {"form": form, "title": _("New task in %(plan)s") % {
        "plan": plan.title}, "back_url": plan.get_absolute_url()})


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {name: getattr(task, name) for name in ("title", "description", "deadline", "weight", "target")}
    initial["owner_people"] = [p.pk for p in task.owner_people.all()]
    initial["owner_units"] = [u.pk for u in task.owner_units.all()]
    form = TaskForm(request.POST or None, plan=task.plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: services.update_task(
                actor=request.user, task=task, title=data["title"], description=data["description"],
                deadline=data["deadline"] or services._resolve_deadline(task.plan, None,
                                                                        data["deadline_working_days"]),
                weight=data["weight"], target=data["target"], owner_people=list(data["owner_people"]),
                owner_units=list(data["owner_units"]))):
            messages.success(request, _("Saved."))
            return redirect(task)
    return render(request, "core/form_page.html", {"form": form, "title": task.title,
                                                   "back_url": task.get_absolute_url()})


@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk, action=Action.CHANGE)
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_action(request, services.report_progress, success=_("Progress recorded."), actor=request.user,
                   task=task, progress=data["progress"], status=data["status"] or None, note=data["note"],
                   cancel_reason=data["cancel_reason"])
    else:
        messages.error(request, _("Progress must be a whole number between 0 and 100."))
    return redirect(task)


@login_required
@require_POST
def task_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk, action=Action.CHANGE)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        run_action(request, services.add_evidence, success=_("Evidence added."), actor=request.user, task=task,
                   kind=data["kind"], upload=data["file"], url=data["url"], note=data["note"])
    else:
        messages.error(request, _("Check the evidence form."))
    return redirect(task)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(get_scoped_or_404(TaskEvidence, request.user, Action.VIEW, pk=pk))


@login_required
def task_history(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, pk=pk)
    return _history(request, task, task.get_absolute_url())


# --- roll-up ------------------------------------------------------------------------------------

ROLLUP_LEVELS = 2  # the focused unit and two levels below: city → wards → cells on one page


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    """Progress of the subtree as a tree table with bars; every row drills down to that unit."""
    org_id = _int_param(request, "org")
    root = get_scoped_or_404(Organisation, request.user, pk=org_id) if org_id else None
    year = _int_param(request, "year")
    if "year" not in request.GET:
        year = dt.date.today().year
    theme_id = _int_param(request, "theme")
    result = selectors.rollup(user=request.user, root=root, year=year, theme_id=theme_id)
    overdue_count = sum(node.overdue for node in result.roots)
    overdue = selectors.overdue_tasks(user=request.user, root=root, year=year, theme_id=theme_id)[:50]
    themes = selectors.visible_themes(request.user)
    if year:
        themes = themes.filter(year=year)
    ancestors = []
    if root is not None:
        ancestors = list(restrict(Organisation.objects.filter(path__in=root.ancestor_paths()[:-1]), request.user)
                         .order_by("depth"))
    return render(request, "campaigns/rollup.html", {
        "rows": result.flatten(ROLLUP_LEVELS), "root": root, "ancestors": ancestors, "year": year,
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
    roll = selectors.rollup(user=user, root=org, year=year)
    node = roll.roots[0] if roll.roots else None
    return {"org": org, "plans": plans, "year": year, "node": node,
            "can_add": org.is_active and allowed_on_path(user, Action.ADD, org.path)}

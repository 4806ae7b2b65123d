"""Staff pages: the issue queue per unit, issue detail with its workflow, dialogues, Open311 clients.
Views read through selectors, offer what the policies allow and write through services (core.forms);
outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chithi.core import panels as core_panels
from chithi.core.forms import call_service, form_page, run_action
from chithi.core.history import history_page
from chithi.core.models import AttachmentBase
from chithi.core.pagination import list_page, paginate, query_without_page
from chithi.core.permissions import Action, has_any
from chithi.core.uploads import checked_content_type

from . import policy, selectors, services
from .filters import DialogueFilterSet, IssueQueueFilterSet
from .forms import (
    AnswerForm,
    ApiClientForm,
    AssignForm,
    AttachmentForm,
    DialogueForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    StaffIssueForm,
)
from .models import ApiClient, Issue

# --- issues -------------------------------------------------------------------------------------


@login_required
def issue_queue(request: HttpRequest) -> HttpResponse:
    """A unit's queue sorted by due date; ?unit= picks the unit (default: the user's first), ?sub=1 adds
    its sub-units."""
    data = request.GET.copy()
    # A tracking code as printed on the citizen's receipt ("FF1BH-WNAQN", any case) opens that issue, wherever
    # in the user's units it is now.
    by_code = selectors.issue_by_code(user=request.user, code=data.get("q", ""))
    htmx = getattr(request, "htmx", False)
    if by_code is not None and not htmx:
        return redirect(by_code)
    if not data.get("unit"):
        default = selectors.default_queue_unit(request.user)
        if default is not None:
            data["unit"] = str(default.pk)
    filterset = IssueQueueFilterSet(data, queryset=selectors.unit_queue(user=request.user, unit=None),
                                    request=request)
    if "unit" in filterset.errors:
        raise Http404  # a unit outside the user's scope does not exist for them
    unit = filterset.form.cleaned_data.get("unit")
    subtree = bool(filterset.form.cleaned_data.get("sub"))
    template = "dialogues/_issue_rows.html" if htmx else "dialogues/issue_queue.html"
    rows = selectors.unit_queue(user=request.user, unit=None).filter(pk=by_code.pk) if by_code else filterset.qs
    return render(request, template, {
        "filter": filterset, "page": paginate(request, rows), "query": query_without_page(request),
        "unit": unit, "today": timezone.localdate(),
        "counts": selectors.issue_counts(qs=selectors.unit_queue(user=request.user, unit=unit, subtree=subtree)),
        "can_add": has_any(request.user, Action.ADD),
    })


@login_required
def issue_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.get("dialogue"):
        if not request.GET["dialogue"].isdigit():
            raise Http404
        dialogue = selectors.dialogue_detail(user=request.user, pk=int(request.GET["dialogue"]), action=Action.ADD)
        initial = {"dialogue": dialogue.pk, "channel": "dialogue", "organisation": dialogue.organisation_id,
                   "area": dialogue.residential_area.name if dialogue.residential_area else dialogue.place}
    form = StaffIssueForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    return form_page(request, form=form, title=_("New issue"), success=_("Issue recorded."),
                     save=lambda data: services.submit_issue(actor=request.user, **data),
                     back_url=request.META.get("HTTP_REFERER", "")[:500])


# The workflow steps in the order the issue page offers them: label, button, form.
STEPS: dict[str, tuple[Any, str, type[forms.Form]]] = {
    "accept": (gettext_lazy("Accept"), "btn-success", NoteForm),
    "assign": (gettext_lazy("Assign, reassign or refer"), "btn-primary", AssignForm),
    "start": (gettext_lazy("Start handling"), "btn-primary", forms.Form),
    "answer": (gettext_lazy("Answer"), "btn-success", AnswerForm),
    "close": (gettext_lazy("Close"), "btn-secondary", NoteForm),
    "merge": (gettext_lazy("Merge as a duplicate"), "btn-outline-secondary", MergeForm),
    "reject": (gettext_lazy("Reject"), "btn-outline-danger", ReasonForm),
}


def _step_form(request: HttpRequest, issue: Issue, step: str, allowed: set[str], data: Any = None) -> forms.Form:
    form_class = STEPS[step][2]
    if form_class is AssignForm:
        kinds = [kind for kind in policy.ASSIGN_KINDS if kind in allowed]
        initial = {"kind": kinds[0] if kinds else ""}
        return AssignForm(data, prefix=step, user=request.user, kinds=kinds, initial=initial)
    if form_class is MergeForm:
        return MergeForm(data, prefix=step, user=request.user)
    if form_class is AnswerForm:
        return AnswerForm(data, prefix=step, initial={"answer": issue.answer})
    return form_class(data, prefix=step)


def _issue_page(request: HttpRequest, issue: Issue, *, posted: forms.Form | None = None, posted_step: str = "",
                status: int = 200) -> HttpResponse:
    """The issue with a form for each step the policy allows the user now (a refused one keeps its errors)."""
    allowed = policy.ISSUE.allowed(request.user, issue)
    # One form offers the kinds of assignment (assign, reassign, refer) the policy allows.
    offered = allowed | ({"assign"} if allowed & set(policy.ASSIGN_KINDS) else set())
    steps = [{"step": step, "label": label, "btn": btn,
              "form": posted if step == posted_step else _step_form(request, issue, step, allowed)}
             for step, (label, btn, _form) in STEPS.items() if step in offered]
    return render(request, "dialogues/issue_detail.html", {
        "issue": issue, "events": selectors.issue_timeline(issue=issue),
        "photos": selectors.issue_photos(issue=issue), "steps": steps, "open_form": posted_step,
        "today": timezone.localdate(), **{f"{s['step']}_form": s["form"] for s in steps},
        # Sections other rooms add to an issue's page (the household visit it came from…).
        "panels": core_panels.render_context("dialogues.issue", user=request.user, obj=issue)}, status=status)


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _issue_page(request, selectors.issue_detail(user=request.user, pk=pk))


@login_required
@require_POST
def issue_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One workflow step. A refused step shows the page again with the form and its errors."""
    if step not in STEPS:
        raise Http404
    issue = selectors.issue_detail(user=request.user, pk=pk, action=Action.CHANGE)
    form = _step_form(request, issue, step, policy.ISSUE.allowed(request.user, issue), request.POST)
    if form.is_valid():
        updated = call_service(form, services.take_step, actor=request.user, issue=issue, step=step,
                               **form.cleaned_data)
        if updated is not None:
            messages.success(request, _("Saved: %(status)s.") % {"status": updated.get_status_display()})
            if selectors.visible_issues(request.user).filter(pk=updated.pk).exists():
                return redirect(updated)
            return redirect("dialogues:issue_queue")  # referred out of the user's sight
    return _issue_page(request, issue, posted=form, posted_step=step, status=400)


@login_required
def issue_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.issue_detail(user=request.user, pk=pk))


def _serve(stored: AttachmentBase, *, download: bool) -> FileResponse:
    """A stored file the user may see (the caller read it through a scoped selector): a document as a download
    under its original name, a photo shown in the page and kept in the browser's private cache only."""
    # The type follows from the stored file's checked name, so rows stored before with a client's claimed type
    # (text/html, say) are served safely too (issue 9).
    response = FileResponse(stored.file.open("rb"), as_attachment=download, filename=stored.original_name,
                            content_type=checked_content_type(stored.file.name))
    if not download:
        response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def issue_photo(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(selectors.scoped_photo(user=request.user, pk=pk), download=False)


# --- dialogues ----------------------------------------------------------------------------------


@login_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "dialogues/dialogue_list.html", DialogueFilterSet,
                     selectors.visible_dialogues(request.user),
                     can_add=has_any(request.user, Action.ADD))


@login_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404

    def save(data: dict[str, Any]) -> Any:
        upload = data.pop("file", None)
        return services.create_dialogue(actor=request.user, attachments=[upload] if upload else [], **data)

    form = DialogueForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(request, form=form, title=_("New dialogue"), save=save, success=_("Dialogue recorded."))


@login_required
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_detail(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {"title": dialogue.title, "held_on": dialogue.held_on, "place": dialogue.place,
               "participants_count": dialogue.participants_count, "minutes": dialogue.minutes,
               "residential_area": dialogue.residential_area_id, "leaders": list(dialogue.leaders.all())}
    form = DialogueForm(request.POST or None, user=request.user, new=False, initial=initial)
    return form_page(request, form=form, title=_("Edit dialogue"), success=_("Saved."),
                     save=lambda data: services.update_dialogue(actor=request.user, dialogue=dialogue, **data),
                     back_url=dialogue.get_absolute_url())


@login_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_detail(user=request.user, pk=pk)
    allowed = policy.DIALOGUE.allowed(request.user, dialogue)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if "attach" not in allowed:
            raise Http404
        if form.is_valid() and call_service(form, services.add_dialogue_attachment, actor=request.user,
                                            dialogue=dialogue, upload=form.cleaned_data["file"]) is not None:
            messages.success(request, _("File attached."))
            return redirect(dialogue)
    return render(request, "dialogues/dialogue_detail.html", {
        "dialogue": dialogue, "leaders": dialogue.leaders.order_by("sort_key"),
        "attachments": dialogue.attachments.order_by("id"), "issues": selectors.dialogue_issues(
            user=request.user, dialogue=dialogue), "allowed": allowed, "attachment_form": form,
        "today": timezone.localdate()}, status=400 if form.errors else 200)


@login_required
def dialogue_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.dialogue_detail(user=request.user, pk=pk))


@login_required
def dialogue_attachment(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(selectors.scoped_attachment(user=request.user, pk=pk), download=True)


# --- Open311 clients ----------------------------------------------------------------------------


def _clients_page(request: HttpRequest, *, form: ApiClientForm, new_key: str = "",
                  key_client: ApiClient | None = None) -> HttpResponse:
    clients = [(client, policy.API_CLIENT.allowed(request.user, client))
               for client in ApiClient.objects.order_by("name")]
    return render(request, "dialogues/api_clients.html", {
        "form": form, "clients": clients, "new_key": new_key, "key_client": key_client})


@login_required
def api_clients(request: HttpRequest) -> HttpResponse:
    """The list of applications and the form that registers one (its key is shown once, here)."""
    if not policy.manages_intake(request.user):
        raise Http404
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = call_service(form, services.create_api_client, actor=request.user, **form.cleaned_data)
        if created is not None:
            return _clients_page(request, form=ApiClientForm(), new_key=created[1], key_client=created[0])
    return _clients_page(request, form=form)


@login_required
@require_POST
def api_client_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if not policy.manages_intake(request.user):
        raise Http404
    client = get_object_or_404(ApiClient, pk=pk)
    if step == "rotate":
        form = ApiClientForm()
        new_key = call_service(form, services.rotate_api_key, actor=request.user, client=client) or ""
        return _clients_page(request, form=form, new_key=new_key, key_client=client)
    if step not in ("disable", "enable"):
        raise Http404
    run_action(request, services.set_api_client_active, actor=request.user, client=client, active=step == "enable",
               success=_("Saved."))
    return redirect("dialogues:api_clients")

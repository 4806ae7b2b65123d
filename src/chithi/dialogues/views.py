"""Staff pages: the issue queue per unit, issue detail with its workflow, dialogues, Open311 clients.
Views read through selectors and write through services; outside the user's scope is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core import panels as core_panels
from chithi.core.forms import apply_service_errors
from chithi.core.history import history_page
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any
from chithi.orgs.models import Organisation

from . import selectors, services
from .filters import DialogueFilterSet, IssueFilterSet
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
from .models import ApiClient, Issue, IssueStatus


def _404(exc: PermissionDenied) -> Http404:
    return Http404(str(exc))


# --- issues -------------------------------------------------------------------------------------


@login_required
def issue_queue(request: HttpRequest) -> HttpResponse:
    """A unit's queue sorted by due date; ?unit= picks the unit, ?sub=1 adds its sub-units."""
    units = selectors.queue_units(request.user)
    unit: Organisation | None
    if request.GET.get("unit"):
        unit = get_scoped_or_404(units, request.user, Action.VIEW, pk=request.GET["unit"])
    else:
        unit = selectors.default_queue_unit(request.user)
    subtree = request.GET.get("sub") == "1"
    filterset = IssueFilterSet(request.GET, queryset=selectors.unit_queue(user=request.user, unit=unit,
                                                                          subtree=subtree))
    template = "dialogues/_issue_rows.html" if getattr(request, "htmx", False) else "dialogues/issue_queue.html"
    return render(request, template, {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "unit": unit, "units": units, "subtree": subtree, "today": timezone.localdate(),
        "counts": selectors.issue_counts(qs=selectors.unit_queue(user=request.user, unit=unit, subtree=subtree)),
        "can_add": has_any(request.user, Action.ADD),
    })


@login_required
def issue_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.get("dialogue"):
        dialogue = selectors.dialogue_detail(user=request.user, pk=int(request.GET["dialogue"]), action=Action.ADD)
        initial = {"dialogue": dialogue.pk, "channel": "dialogue", "organisation": dialogue.organisation_id,
                   "area": dialogue.residential_area.name if dialogue.residential_area else dialogue.place}
    form = StaffIssueForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.submit_issue(
                actor=request.user, channel=data["channel"], category=data["category"],
                description=data["description"], area=data.get("area", ""), address=data.get("address", ""),
                reporter_name=data.get("reporter_name", ""), reporter_contact=data.get("reporter_contact", ""),
                consent_to_publish=data.get("consent_to_publish", False), photos=data.get("photos") or [],
                dialogue=data.get("dialogue"), organisation=data["organisation"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise _404(exc) from exc
        else:
            messages.success(request, _("Issue recorded; tracking code %(code)s.") % {"code": issue.display_code})
            return redirect(issue)
    return render(request, "dialogues/form.html", {"form": form, "title": _("New issue"),
                                                   "back_url": request.META.get("HTTP_REFERER", "")[:500]})


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_detail(user=request.user, pk=pk)
    can_change = selectors.visible_issues(request.user, Action.CHANGE).filter(pk=issue.pk).exists()
    return render(request, "dialogues/issue_detail.html", _issue_context(request, issue, can_change))


def _issue_context(request: HttpRequest, issue: Issue, can_change: bool, **forms: Any) -> dict[str, Any]:
    status = issue.status
    actions = {
        "accept": status == IssueStatus.RECEIVED,
        "reject": status in (IssueStatus.RECEIVED, IssueStatus.ACCEPTED),
        "merge": status in (IssueStatus.RECEIVED, IssueStatus.ACCEPTED, IssueStatus.ASSIGNED),
        "assign": status in (IssueStatus.RECEIVED, IssueStatus.ACCEPTED, IssueStatus.ASSIGNED,
                             IssueStatus.IN_PROGRESS, IssueStatus.REOPENED),
        "start": status == IssueStatus.ASSIGNED,
        "answer": status in (IssueStatus.ASSIGNED, IssueStatus.IN_PROGRESS, IssueStatus.REOPENED),
        "close": status == IssueStatus.ANSWERED,
    } if can_change else {}
    actions = actions if any(actions.values()) else {}
    return {
        "issue": issue, "events": selectors.issue_timeline(issue=issue),
        "photos": selectors.issue_photos(issue=issue), "can_change": can_change, "actions": actions,
        "today": timezone.localdate(),
        "accept_form": forms.get("accept_form") or NoteForm(prefix="accept"),
        "reject_form": forms.get("reject_form") or ReasonForm(prefix="reject"),
        "merge_form": forms.get("merge_form") or MergeForm(prefix="merge", user=request.user),
        "assign_form": forms.get("assign_form") or AssignForm(prefix="assign", user=request.user, initial={
            "kind": "assign" if status in (IssueStatus.RECEIVED, IssueStatus.ACCEPTED) else "reassign"}),
        "answer_form": forms.get("answer_form") or AnswerForm(prefix="answer", initial={"answer": issue.answer}),
        "close_form": forms.get("close_form") or NoteForm(prefix="close"),
        "open_form": next(iter(forms), ""),
        # Sections other rooms add to an issue's page (the household visit it was raised at): key "dialogues.issue".
        "panels": core_panels.render_context("dialogues.issue", user=request.user, obj=issue),
    }


@login_required
@require_POST
def issue_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One workflow step. A refused step re-renders the page with the form and its errors."""
    issue = selectors.issue_detail(user=request.user, pk=pk, action=Action.CHANGE)
    user = request.user
    form: Any
    call: Callable[[], Issue]
    if step == "accept":
        form = NoteForm(request.POST, prefix="accept")
        call = lambda: services.accept_issue(actor=user, issue=issue, note=form.cleaned_data["reason"])  # noqa: E731
    elif step == "reject":
        form = ReasonForm(request.POST, prefix="reject")
        call = lambda: services.reject_issue(actor=user, issue=issue, reason=form.cleaned_data["reason"])  # noqa: E731
    elif step == "merge":
        form = MergeForm(request.POST, prefix="merge", user=user)
        call = lambda: services.merge_issue(actor=user, issue=issue,  # noqa: E731
                                            duplicate_of=form.cleaned_data["duplicate_of"],
                                            reason=form.cleaned_data["reason"])
    elif step == "assign":
        form = AssignForm(request.POST, prefix="assign", user=user)
        call = lambda: services.assign_issue(actor=user, issue=issue, unit=form.cleaned_data["unit"],  # noqa: E731
                                             reason=form.cleaned_data["reason"], kind=form.cleaned_data["kind"])
    elif step == "start":
        form = NoteForm(request.POST, prefix="start")
        call = lambda: services.start_issue(actor=user, issue=issue)  # noqa: E731
    elif step == "answer":
        form = AnswerForm(request.POST, prefix="answer")
        call = lambda: services.answer_issue(actor=user, issue=issue, answer=form.cleaned_data["answer"])  # noqa: E731
    elif step == "close":
        form = NoteForm(request.POST, prefix="close")
        call = lambda: services.close_issue(actor=user, issue=issue, note=form.cleaned_data["reason"])  # noqa: E731
    else:
        raise Http404
    if form.is_valid():
        try:
            updated = call()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise _404(exc) from exc
        else:
            messages.success(request, _("Saved: %(status)s.") % {"status": updated.get_status_display()})
            if selectors.visible_issues(user).filter(pk=updated.pk).exists():
                return redirect(updated)
            return redirect("dialogues:issue_queue")  # referred out of the user's sight
    context = _issue_context(request, issue, True, **{f"{step}_form": form})
    context["open_form"] = step
    return render(request, "dialogues/issue_detail.html", context, status=400)


@login_required
def issue_history(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_detail(user=request.user, pk=pk)
    return history_page(request, issue)


@login_required
def issue_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = selectors.scoped_photo(user=request.user, pk=pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type or "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- dialogues ----------------------------------------------------------------------------------


@login_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    filterset = DialogueFilterSet(request.GET, queryset=selectors.visible_dialogues(request.user))
    return render(request, "dialogues/dialogue_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "can_add": has_any(request.user, Action.ADD)})


@login_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    form = DialogueForm(request.POST or None, user=request.user)
    attachments = AttachmentForm(request.POST or None, request.FILES or None)
    attachments.fields["file"].required = False
    if request.method == "POST" and form.is_valid() and attachments.is_valid():
        data = form.cleaned_data
        upload = attachments.cleaned_data.get("file")
        try:
            dialogue = services.create_dialogue(
                actor=request.user, organisation=data["organisation"], title=data["title"],
                held_on=data["held_on"], residential_area=data.get("residential_area"), place=data.get("place", ""),
                leaders=data.get("leaders") or [], participants_count=data.get("participants_count") or 0,
                minutes=data.get("minutes", ""), attachments=[upload] if upload else [])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise _404(exc) from exc
        else:
            messages.success(request, _("Dialogue recorded."))
            return redirect(dialogue)
    return render(request, "dialogues/dialogue_form.html", {"form": form, "attachment_form": attachments,
                                                            "title": _("New dialogue")})


@login_required
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_detail(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {"title": dialogue.title, "held_on": dialogue.held_on, "place": dialogue.place,
               "participants_count": dialogue.participants_count, "minutes": dialogue.minutes,
               "residential_area": dialogue.residential_area_id, "leaders": list(dialogue.leaders.all())}
    form = DialogueForm(request.POST or None, user=request.user, with_organisation=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_dialogue(actor=request.user, dialogue=dialogue, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise _404(exc) from exc
        else:
            messages.success(request, _("Saved."))
            return redirect(dialogue)
    return render(request, "dialogues/dialogue_form.html", {
        "form": form, "title": _("Edit dialogue"), "back_url": dialogue.get_absolute_url()})


@login_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_detail(user=request.user, pk=pk)
    can_change = allowed_on_path(request.user, Action.CHANGE, dialogue.organisation.path)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                services.add_dialogue_attachment(actor=request.user, dialogue=dialogue,
                                                 upload=form.cleaned_data["file"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("File attached."))
                return redirect(dialogue)
    issues = selectors.visible_issues(request.user).filter(dialogue=dialogue).order_by("received_at", "id")
    return render(request, "dialogues/dialogue_detail.html", {
        "dialogue": dialogue, "leaders": dialogue.leaders.order_by("sort_key"),
        "attachments": dialogue.attachments.order_by("id"), "issues": issues, "can_change": can_change,
        "can_add_issue": allowed_on_path(request.user, Action.ADD, dialogue.organisation.path),
        "attachment_form": form, "today": timezone.localdate()}, status=400 if form.errors else 200)


@login_required
def dialogue_history(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_detail(user=request.user, pk=pk)
    return history_page(request, dialogue)


@login_required
def dialogue_attachment(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.scoped_attachment(user=request.user, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type or "application/octet-stream")


# --- Open311 clients ----------------------------------------------------------------------------


@login_required
def api_clients(request: HttpRequest) -> HttpResponse:
    if not services.can_manage_clients(request.user):
        raise Http404
    form = ApiClientForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _client, new_key = services.create_api_client(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = ApiClientForm()
    return render(request, "dialogues/api_clients.html", {
        "form": form, "clients": ApiClient.objects.order_by("name"), "new_key": new_key})


@login_required
@require_POST
def api_client_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if not services.can_manage_clients(request.user):
        raise Http404
    try:
        client = ApiClient.objects.get(pk=pk)
    except ApiClient.DoesNotExist as exc:
        raise Http404 from exc
    new_key = ""
    if step == "rotate":
        new_key = services.rotate_api_key(actor=request.user, client=client)
    elif step in ("disable", "enable"):
        services.set_api_client_active(actor=request.user, client=client, active=step == "enable")
    else:
        raise Http404
    return render(request, "dialogues/api_clients.html", {
        "form": ApiClientForm(), "clients": ApiClient.objects.order_by("name"), "new_key": new_key,
        "key_client": client})

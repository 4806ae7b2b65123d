"""Staff pages: write and review articles, their pictures and versions; moderate reader feedback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chithi.core.forms import call_service, form_page, run_action
from chithi.core.history import history_page
from chithi.core.pagination import list_page, paginate, query_without_page
from chithi.core.permissions import Action, has_any

from . import policy, selectors, services
from .filters import ArticleFilterSet, FeedbackFilterSet
from .forms import AnswerForm, ArticleForm, ImageForm, NoteForm, PublishForm
from .models import Article


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "portal/article_list.html", ArticleFilterSet,
                     selectors.visible_articles(request.user).order_by("-updated_at", "-id"),
                     can_add=has_any(request.user, Action.ADD))


def _after_save(request: HttpRequest, article: Article | None, success: str) -> HttpResponse | None:
    if article is None:
        return None
    messages.success(request, success)
    removed = getattr(article, "removed", [])
    if removed:
        messages.warning(request, _("Removed from the body because it is not allowed in an article: %(list)s.")
                         % {"list": "; ".join(removed)})
    return redirect(article)


@login_required
def article_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = call_service(form, services.create_article, actor=request.user, **form.cleaned_data)
        done = _after_save(request, created, _("Draft saved."))
        if done:
            return done
    return render(request, "portal/article_form.html", {"form": form, "title": _("New article")},
                  status=400 if form.errors else 200)


def _initial(article: Article) -> dict[str, Any]:
    fields = ("category", "title", "summary", "body", "byline", "source_name", "source_url", "slug", "featured",
              "issue_category")
    return {**{name: getattr(article, name) for name in fields}, "practices": list(article.practices.all())}


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_detail(user=request.user, pk=pk)
    if "edit" not in policy.ARTICLE.allowed(request.user, article):
        raise Http404
    form = ArticleForm(request.POST or None, user=request.user, with_organisation=False, initial=_initial(article))
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.update_article, actor=request.user, article=article, **form.cleaned_data)
        done = _after_save(request, saved, _("Saved."))
        if done:
            return done
    return render(request, "portal/article_form.html", {
        "form": form, "title": _("Edit article"), "article": article,
        "images": selectors.staff_article_images(article)}, status=400 if form.errors else 200)


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_detail(user=request.user, pk=pk)
    latest = selectors.article_versions(article).first()
    return render(request, "portal/article_detail.html", {
        "article": article, "allowed": policy.ARTICLE.allowed(request.user, article),
        "images": selectors.staff_article_images(article), "image_map": selectors.article_images(article),
        "latest_version": latest, "publish_form": PublishForm(), "note_form": NoteForm(),
        "practices": article.practices.order_by("sort_key")})


@login_required
def article_image(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_detail(user=request.user, pk=pk)
    if "images" not in policy.ARTICLE.allowed(request.user, article):
        raise Http404
    form = ImageForm(request.POST or None, request.FILES or None)
    return form_page(request, form=form, title=_("Add a picture"), back_url=article.get_absolute_url(),
                     success=_("Picture added. Place it in the body with its marker."),
                     save=lambda data: services.add_image(actor=request.user, article=article, upload=data["image"],
                                                          alt=data["alt"], caption=data["caption"],
                                                          credit=data["credit"], lead=data["lead"]),
                     redirect_to=lambda _image: article.get_absolute_url(),
                     context={"intro": _("JPEG, PNG, GIF or WebP; its location data and other metadata are "
                                         "removed, and it is kept in widths fit for a phone.")})


# One-button workflow steps: the service, the form whose one field it takes (and as which argument), the message.
ARTICLE_STEPS: dict[str, tuple[Callable[..., Any], type[forms.Form] | None, str, str, Any]] = {
    "submit": (services.submit_article, None, "", "", gettext_lazy("Sent for review.")),
    "publish": (services.publish_article, PublishForm, "publish_at", "publish_at",
                gettext_lazy("Publication saved.")),
    "return": (services.return_article, NoteForm, "note", "note", gettext_lazy("Returned to its writer.")),
    "withdraw": (services.withdraw_article, NoteForm, "note", "reason",
                 gettext_lazy("Withdrawn from the public site.")),
}
FEEDBACK_STEPS: dict[str, tuple[Callable[..., Any], type[forms.Form] | None, str, str, Any]] = {
    "approve": (services.approve_feedback, None, "", "", gettext_lazy("Published; the sender is told by e-mail.")),
    "reject": (services.reject_feedback, NoteForm, "note", "reason", gettext_lazy("Rejected.")),
    "answer": (services.answer_feedback, AnswerForm, "answer", "answer",
               gettext_lazy("Answer published; the sender is told by e-mail.")),
}


def _run_step(request: HttpRequest, steps: dict[str, Any], step: str, **target: Any) -> None:
    """Run one step of `steps` (404 for an unknown one); a refused form is said as an error message."""
    if step not in steps:
        raise Http404
    service, form_class, field, argument, success = steps[step]
    kwargs = dict(target)
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return
        kwargs[argument] = form.cleaned_data[field]
    run_action(request, service, actor=request.user, success=str(success), **kwargs)


@login_required
@require_POST
def article_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One workflow step: submit, publish (now or at a time), return (with a note), withdraw."""
    article = selectors.article_detail(user=request.user, pk=pk)
    _run_step(request, ARTICLE_STEPS, step, article=article)
    return redirect(article)


@login_required
def article_versions(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_detail(user=request.user, pk=pk)
    versions = selectors.article_versions(article)
    shown = None
    if request.GET.get("v", "").isdigit():
        shown = versions.filter(number=int(request.GET["v"])).first()
        if shown is None:
            raise Http404
    return render(request, "portal/article_versions.html", {
        "article": article, "page": paginate(request, versions), "shown": shown,
        "query": query_without_page(request)})


@login_required
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.article_detail(user=request.user, pk=pk))


@login_required
def feedback_queue(request: HttpRequest) -> HttpResponse:
    filterset = FeedbackFilterSet(request.GET, queryset=selectors.visible_feedback(request.user).order_by(
        "status", "-created_at", "-id"), request=request)
    page = paginate(request, filterset.qs)
    rows = [{"feedback": item, "allowed": policy.FEEDBACK.allowed(request.user, item)} for item in page]
    return render(request, "portal/feedback_queue.html", {
        "filter": filterset, "page": page, "rows": rows, "query": query_without_page(request),
        "answer_form": AnswerForm(), "note_form": NoteForm()})


@login_required
@require_POST
def feedback_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Publish, reject (with an internal reason) or answer a reader's feedback."""
    _run_step(request, FEEDBACK_STEPS, step, feedback=selectors.feedback_detail(user=request.user, pk=pk))
    queue = reverse("portal:feedback_queue")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(queue) else queue)  # only back to the queue, never elsewhere

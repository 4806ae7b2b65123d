"""Pages for practices: the internal registry (scoped; outside scope is a 404) and the public showcase at
/mo-hinh/ (public practices only, nothing internal, no personal data beyond the names a unit published)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from chithi.core.forms import form_page, run_action
from chithi.core.history import history_page
from chithi.core.pagination import list_page, paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any
from chithi.core.policy import Decision
from chithi.core.views import public, rate_limited
from chithi.core.xlsx import write_xlsx, xlsx_response

from . import selectors, services
from .filters import PracticeFilterSet, PublicPracticeFilterSet
from .forms import (
    CommendationForm,
    DocumentForm,
    IndicatorForm,
    LinkReplicationForm,
    PeriodResultsForm,
    PhotoForm,
    PracticeForm,
    ReplicationForm,
)
from .models import EvidenceLink, Practice, PracticeDocument, PracticePhoto
from .policy import CHANGE, LINK_REPLICATION, PRACTICE, REPLICATE

SHOWCASE_PER_PAGE = 12
FORM = "practices/form.html"


def _practice_for(request: HttpRequest, pk: int, action: str) -> tuple[Practice, Decision]:
    """The practice and the policy's answer for `action` on it; outside the scope it does not exist (404)."""
    practice = selectors.practice_detail(user=request.user, pk=pk)
    decision = PRACTICE.decide(request.user, practice)[action]
    if not decision.in_scope:
        raise Http404
    return practice, decision


def _policy_page(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A signed-in page about one practice, offered when the policy allows `action`: the view receives the
    practice; when the practice's state refuses it, the user goes back to the practice with the reason (the
    service would refuse the same)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
            practice, decision = _practice_for(request, pk, action)
            if not decision:
                messages.error(request, decision.reason)
                return redirect(practice)
            return view(request, practice)

        return wrapped

    return decorate


def _practice_form(request: HttpRequest, practice: Practice, form: Any, title: str, save: Callable[[Any], Any],
                   success: str, *, intro: str = "", context: dict[str, Any] | None = None) -> HttpResponse:
    """A form page under a practice: on success, back to the practice. `context` is read when the page is
    drawn, after the service ran (see _noting_duplicate)."""
    context = {} if context is None else context
    context.update(practice=practice, intro=intro)
    return form_page(request, form=form, title=title, save=save, success=success, template=FORM,
                     back_url=practice.get_absolute_url(), redirect_to=lambda _result: practice, context=context)


def _noting_duplicate(context: dict[str, Any], service: Callable[..., Practice]) -> Callable[..., Practice]:
    """The service, with the practice a DuplicatePractice refusal names kept in `context`: the form page links
    to it instead of leaving the user to search for it."""

    def call(**kwargs: Any) -> Practice:
        try:
            return service(**kwargs)
        except services.DuplicatePractice as exc:
            context["existing"] = exc.existing
            raise

    return call


def _practice_data(data: dict[str, Any]) -> dict[str, Any]:
    """The practice form's data as the service takes it (the form calls the fields "areas": `fields` is taken
    on a Django form)."""
    data = dict(data)
    data["fields"] = data.pop("areas")
    return data


# --- internal registry ------------------------------------------------------------------------------


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    template = "practices/_rows.html" if request.htmx else "practices/registry.html"  # type: ignore[attr-defined]
    return list_page(request, template, PracticeFilterSet, selectors.visible_practices(request.user),
                     can_add=has_any(request.user, Action.ADD), can_export=has_any(request.user, Action.EXPORT))


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The registry as filtered on screen, as an XLSX workbook (one row per practice)."""
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    filterset = PracticeFilterSet(request.GET, queryset=selectors.visible_practices(request.user, Action.EXPORT)
                                  .select_related("replicated_from__origin__organisation"), request=request)
    headers = [_("Practice"), _("Owning unit"), _("Fields"), _("Status"), _("Start date"), _("Public"),
               _("Units reached"), _("Replication of")]
    rows = []
    for p in filterset.qs.iterator(chunk_size=500):
        origin = p.replicated_from.origin if p.lineage_depth else None  # type: ignore[union-attr]
        rows.append([p.name, p.organisation.name, ", ".join(p.field_labels()), p.get_status_display(), p.started_on,
                     _("yes") if p.is_public else _("no"), p.reach,
                     f"{origin.name} — {origin.organisation.name}" if origin else ""])
    return xlsx_response(write_xlsx(headers=headers, rows=rows, title=_("Good practices")),
                         f"mo-hinh-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {"organisation": request.GET["organisation"]} if request.GET.get("organisation") else {}
    form = PracticeForm(request.POST or None, user=request.user, initial=initial)
    context: dict[str, Any] = {}
    register = _noting_duplicate(context, services.register_practice)
    return form_page(request, form=form, title=_("Register a practice"), template=FORM, context=context,
                     save=lambda data: register(actor=request.user, **_practice_data(data)),
                     success=lambda practice: _("Registered the practice “%(name)s”.") % {"name": practice.name})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_detail(user=request.user, pk=pk)
    indicators = selectors.indicators_with_results(practice)
    periods, rows = selectors.results_table(indicators)
    nodes = selectors.lineage(practice=practice, user=request.user)
    # The origin of a replication is named only when the user may see it or it is public.
    origin = practice.replicated_from.origin if practice.lineage_depth else None  # type: ignore[union-attr]
    origin_in_scope = origin is not None and allowed_on_path(request.user, Action.VIEW, origin.organisation.path)
    return render(request, "practices/detail.html", {
        "practice": practice, "indicators": indicators, "periods": periods, "rows": rows,
        "origin": origin, "origin_in_scope": origin_in_scope, "nodes": nodes, "units": selectors.unit_map(nodes),
        "replication_count": sum(1 for n in nodes if not n.is_current and n.practice.lineage_path.startswith(
            practice.lineage_path)),
        "commendations": selectors.commendations(practice),
        "photos": practice.photos.all(), "documents": practice.documents.all(),
        "evidence": selectors.evidence_links(practice, user=request.user),
        "allowed": PRACTICE.allowed(request.user, practice),
    })


@_policy_page(CHANGE)
def edit(request: HttpRequest, practice: Practice) -> HttpResponse:
    initial = {name: getattr(practice, name) for name in
               ("name", "description", "started_on", "status", "is_public", "public_names")}
    initial["areas"] = practice.field_list
    form = PracticeForm(request.POST or None, with_unit=False, initial=initial)
    context: dict[str, Any] = {}
    update = _noting_duplicate(context, services.update_practice)
    return _practice_form(request, practice, form, _("Edit %(name)s") % {"name": practice.name},
                          lambda data: update(actor=request.user, practice=practice, **_practice_data(data)),
                          _("Saved."), context=context)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_detail(user=request.user, pk=pk)
    return history_page(request, practice)


@_policy_page(CHANGE)
def indicator_add(request: HttpRequest, practice: Practice) -> HttpResponse:
    form = IndicatorForm(request.POST or None)
    return _practice_form(
        request, practice, form, _("New indicator for %(name)s") % {"name": practice.name},
        lambda data: services.add_indicator(actor=request.user, practice=practice, **data), _("Indicator added."))


@_policy_page(CHANGE)
def result_record(request: HttpRequest, practice: Practice) -> HttpResponse:
    if not practice.indicators.exists():
        messages.info(request, _("Add an indicator first: results are recorded against indicators."))
        return redirect("practices:indicator_add", pk=practice.pk)
    form = PeriodResultsForm(request.POST or None, practice=practice)
    return _practice_form(
        request, practice, form, _("Record results for %(name)s") % {"name": practice.name},
        lambda data: services.record_period_results(
            actor=request.user, practice=practice, period_start=data["period_start"], period_end=data["period_end"],
            period_label=data["period_label"], note=data["note"], values=form.values()),
        _("Results recorded."),
        intro=_("One period, a figure for each indicator. Recording the same period again corrects the earlier "
                "figures."))


@_policy_page(REPLICATE)
def replicate(request: HttpRequest, practice: Practice) -> HttpResponse:
    form = ReplicationForm(request.POST or None, user=request.user)
    return _practice_form(
        request, practice, form, _("Replicate %(name)s") % {"name": practice.name},
        lambda data: services.replicate_practice(actor=request.user, origin=practice, **data),
        _("Replication recorded."),
        intro=_("The adopting unit gets a practice of its own, linked to this one, where it records its results."))


@_policy_page(LINK_REPLICATION)
def replication_link(request: HttpRequest, practice: Practice) -> HttpResponse:
    form = LinkReplicationForm(request.POST or None, user=request.user, origin=practice)
    return _practice_form(
        request, practice, form,
        _("Link an existing practice as a replication of %(name)s") % {"name": practice.name},
        lambda data: services.link_replication(actor=request.user, origin=practice, **data),
        _("Replication recorded."),
        intro=_("For a unit that registered the practice before the replication was recorded. Its own "
                "replications move with it."))


@_policy_page(CHANGE)
def commendation_add(request: HttpRequest, practice: Practice) -> HttpResponse:
    form = CommendationForm(request.POST or None, user=request.user, practice=practice)
    return _practice_form(
        request, practice, form, _("Commendation for %(name)s") % {"name": practice.name},
        lambda data: services.add_commendation(actor=request.user, practice=practice, **data),
        _("Commendation recorded."))


def _upload(request: HttpRequest, practice: Practice, service: Callable[..., Any]) -> Callable[[Any], Any]:
    """Save an upload form (its `file`, and the service's other arguments under their own names)."""
    return lambda data: service(actor=request.user, practice=practice, upload=data["file"],
                                **{name: value for name, value in data.items() if name != "file"})


@_policy_page(CHANGE)
def photo_add(request: HttpRequest, practice: Practice) -> HttpResponse:
    return _practice_form(request, practice, PhotoForm(request.POST or None, request.FILES or None),
                          _("Add a photo to %(name)s") % {"name": practice.name},
                          _upload(request, practice, services.add_photo), _("Photo added."),
                          intro=_("The picture is re-encoded: location and camera data are removed."))


@_policy_page(CHANGE)
def document_add(request: HttpRequest, practice: Practice) -> HttpResponse:
    return _practice_form(request, practice, DocumentForm(request.POST or None, request.FILES or None),
                          _("Add a document to %(name)s") % {"name": practice.name},
                          _upload(request, practice, services.add_document), _("Document added."))


def _serve(attachment: PracticePhoto | PracticeDocument, *, download: bool, cache: str) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=attachment.content_type or "application/octet-stream",
                            as_attachment=download, filename=attachment.original_name if download else "")
    response["Cache-Control"] = f"{cache}, max-age=3600"
    return response


@login_required
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(get_scoped_or_404(PracticePhoto, request.user, Action.VIEW, pk=pk), download=False, cache="private")


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(get_scoped_or_404(PracticeDocument, request.user, Action.VIEW, pk=pk), download=True,
                  cache="private")


@login_required
@require_POST
def attachment_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in {"anh", "tai-lieu"}:
        raise Http404
    model: type[Model] = PracticePhoto if kind == "anh" else PracticeDocument
    attachment = get_scoped_or_404(model, request.user, Action.CHANGE, pk=pk)
    practice = attachment.practice  # type: ignore[attr-defined]
    run_action(request, services.delete_attachment, success=_("Deleted."), actor=request.user, attachment=attachment)
    return redirect(practice)


# --- public showcase ---------------------------------------------------------------------------------


def _limited(request: HttpRequest) -> bool:
    """The public pages answer 429 with the shared page when an address asks too often (block=False plus
    this check, so the answer does not depend on a middleware being installed)."""
    return bool(getattr(request, "limited", False))


@public
@ratelimit(key="ip", rate="120/m", block=False)
def showcase(request: HttpRequest) -> HttpResponse:
    if _limited(request):
        return rate_limited(request)
    # Each lineage once; but asked for one unit, show what runs there, replications included.
    filterset = PublicPracticeFilterSet(request.GET, queryset=selectors.public_practices(
        include_replications=bool(request.GET.get("unit"))), request=request)
    page = paginate(request, filterset.qs.prefetch_related("photos"), per_page=SHOWCASE_PER_PAGE)
    for practice in page:
        practice.cover = next((p for p in practice.photos.all() if p.is_public), None)  # type: ignore[attr-defined]
    template = "practices/_showcase_cards.html" if request.htmx else "practices/showcase.html"  # type: ignore[attr-defined]
    return render(request, template, {"filter": filterset, "page": page, "query": query_without_page(request)})


@public
@ratelimit(key="ip", rate="120/m", block=False)
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if _limited(request):
        return rate_limited(request)
    practice = selectors.public_practice(pk=pk)
    indicators = selectors.indicators_with_results(practice)
    periods, rows = selectors.results_table(indicators)
    nodes = selectors.lineage(practice=practice, public=True)
    return render(request, "practices/public_detail.html", {
        "practice": practice, "periods": periods, "rows": rows, "nodes": nodes,
        "units": selectors.unit_map(nodes),
        "commendations": selectors.public_commendations(practice),
        "photos": [p for p in practice.photos.all() if p.is_public],
        "documents": [d for d in practice.documents.all() if d.is_public],
    })


def _public_file(model: type[PracticePhoto] | type[PracticeDocument], pk: int) -> PracticePhoto | PracticeDocument:
    found = model.objects.filter(pk=pk, is_public=True, practice__is_public=True).first()
    if found is None:
        raise Http404
    return found


@public
def public_photo(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(_public_file(PracticePhoto, pk), download=False, cache="public")


@public
def public_document(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(_public_file(PracticeDocument, pk), download=True, cache="private")


# --- evidence links, from another room's record page ---------------------------------------------------


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def evidence_link(request: HttpRequest) -> HttpResponse:
    """Offer a practice as evidence for a record of another room (a plan task), from that record's page. A kind
    of record no room declared linkable, or a record outside the user's scope, is a 404."""
    practice, may_change = _practice_for(request, _int(request.POST.get("practice")), CHANGE)
    if not may_change:
        raise Http404
    target = selectors.linkable_target(user=request.user, target_type=request.POST.get("target_type", ""),
                                       target_id=_int(request.POST.get("target_id")))
    if target is None:
        raise Http404
    run_action(request, services.link_evidence, success=_("Linked %(name)s as evidence.") % {"name": practice.name},
               actor=request.user, practice=practice, target=target, note=request.POST.get("note", ""))
    return _back(request, reverse("practices:detail", args=[practice.pk]))


@login_required
@require_POST
def evidence_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_scoped_or_404(EvidenceLink.objects.select_related("practice__organisation"), request.user,
                             Action.CHANGE, pk=pk)
    run_action(request, services.unlink_evidence, success=_("Link removed."), actor=request.user, link=link)
    return _back(request, reverse("practices:detail", args=[link.practice_id]))

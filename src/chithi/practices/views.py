"""Pages for practices: the internal registry (scoped; outside scope is a 404) and the public showcase at
/mo-hinh/ (public practices only, nothing internal, no personal data beyond the names a unit published)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from chithi.core.forms import apply_service_errors, run_action
from chithi.core.history import history_page
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any
from chithi.core.views import rate_limited
from chithi.core.xlsx import write_xlsx
from chithi.orgs.selectors import visible_orgs

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
from .models import EvidenceLink, Practice, PracticeDocument, PracticeField, PracticePhoto

SHOWCASE_PER_PAGE = 12


def _form_page(request: HttpRequest, form: Any, title: str, *, practice: Practice | None = None,
               intro: str = "", existing: Practice | None = None) -> HttpResponse:
    return render(request, "practices/form.html", {
        "form": form, "title": title, "intro": intro, "practice": practice, "existing": existing,
        "back_url": practice.get_absolute_url() if practice else "",
    })


def _changeable(request: HttpRequest, pk: int) -> Practice:
    return selectors.practice_detail(user=request.user, pk=pk, action=Action.CHANGE)


# --- internal registry ------------------------------------------------------------------------------


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    filterset = PracticeFilterSet(request.GET, queryset=selectors.visible_practices(request.user))
    template = "practices/_rows.html" if request.htmx else "practices/registry.html"  # type: ignore[attr-defined]
    return render(request, template, {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "fields": PracticeField.choices, "can_add": has_any(request.user, Action.ADD),
        "can_export": has_any(request.user, Action.EXPORT),
        "units": visible_orgs(request.user).active().order_by("path").only("pk", "name", "depth")})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The registry as filtered on screen, as an XLSX workbook (one row per practice)."""
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    filterset = PracticeFilterSet(request.GET, queryset=selectors.visible_practices(request.user, Action.EXPORT)
                                  .select_related("replicated_from__origin__organisation"))
    headers = [_("Practice"), _("Owning unit"), _("Fields"), _("Status"), _("Start date"), _("Public"),
               _("Units reached"), _("Replication of")]
    rows = []
    for p in filterset.qs.iterator(chunk_size=500):
        origin = p.replicated_from.origin if p.lineage_depth else None  # type: ignore[union-attr]
        rows.append([p.name, p.organisation.name, ", ".join(p.field_labels()), p.get_status_display(), p.started_on,
                     _("yes") if p.is_public else _("no"), p.reach,
                     f"{origin.name} — {origin.organisation.name}" if origin else ""])
    response = HttpResponse(write_xlsx(headers=headers, rows=rows, title=_("Good practices")),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="mo-hinh-{dt.date.today():%Y%m%d}.xlsx"'
    return response


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {"organisation": request.GET["organisation"]} if request.GET.get("organisation") else {}
    form = PracticeForm(request.POST or None, user=request.user, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["fields"] = data.pop("areas")
        try:
            practice = services.register_practice(actor=request.user, **data)
        except services.DuplicatePractice as exc:
            existing = exc.existing
            apply_service_errors(form, exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Registered the practice “%(name)s”.") % {"name": practice.name})
            return redirect(practice)
    return _form_page(request, form, _("Register a practice"), existing=existing)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_detail(user=request.user, pk=pk)
    indicators = selectors.indicators_with_results(practice)
    periods, rows = selectors.results_table(indicators)
    nodes = selectors.lineage(practice=practice, user=request.user)
    can_change = allowed_on_path(request.user, Action.CHANGE, practice.organisation.path)
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
        "evidence": selectors.evidence_links(practice),
        "can_change": can_change,
        "can_replicate": has_any(request.user, Action.ADD) and practice.status != "stopped",
    })


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _changeable(request, pk)
    initial = {name: getattr(practice, name) for name in
               ("name", "description", "started_on", "status", "is_public", "public_names")}
    initial["areas"] = practice.field_list
    form = PracticeForm(request.POST or None, with_unit=False, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["fields"] = data.pop("areas")
        try:
            services.update_practice(actor=request.user, practice=practice, **data)
        except services.DuplicatePractice as exc:
            existing = exc.existing
            apply_service_errors(form, exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(practice)
    return _form_page(request, form, _("Edit %(name)s") % {"name": practice.name}, practice=practice,
                      existing=existing)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_detail(user=request.user, pk=pk)
    return history_page(request, practice)


def _service_form(request: HttpRequest, form: Any, call: Any, success: str, practice: Practice, title: str,
                  intro: str = "") -> HttpResponse:
    """Run a service with a valid form's data; show its errors on the form, or go back to the practice."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, success)
            return redirect(practice)
    return _form_page(request, form, title, practice=practice, intro=intro)


@login_required
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _changeable(request, pk)
    form = IndicatorForm(request.POST or None)
    return _service_form(
        request, form, lambda data: services.add_indicator(actor=request.user, practice=practice, **data),
        _("Indicator added."), practice, _("New indicator for %(name)s") % {"name": practice.name})


@login_required
def result_record(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _changeable(request, pk)
    if not practice.indicators.exists():
        messages.info(request, _("Add an indicator first: results are recorded against indicators."))
        return redirect("practices:indicator_add", pk=practice.pk)
    form = PeriodResultsForm(request.POST or None, practice=practice)
    return _service_form(
        request, form, lambda data: services.record_period_results(
            actor=request.user, practice=practice, period_start=data["period_start"], period_end=data["period_end"],
            period_label=data["period_label"], note=data["note"], values=form.values()),
        _("Results recorded."), practice, _("Record results for %(name)s") % {"name": practice.name},
        intro=_("One period, a figure for each indicator. Recording the same period again corrects the earlier "
                "figures."))


@login_required
def replicate(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_detail(user=request.user, pk=pk)
    if not has_any(request.user, Action.ADD):
        raise Http404
    form = ReplicationForm(request.POST or None, user=request.user)
    return _service_form(
        request, form, lambda data: services.replicate_practice(actor=request.user, origin=practice, **data),
        _("Replication recorded."), practice, _("Replicate %(name)s") % {"name": practice.name},
        intro=_("The adopting unit gets a practice of its own, linked to this one, where it records its results."))


@login_required
def replication_link(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_detail(user=request.user, pk=pk)
    if not has_any(request.user, Action.CHANGE):
        raise Http404
    form = LinkReplicationForm(request.POST or None, user=request.user, origin=practice)
    return _service_form(
        request, form, lambda data: services.link_replication(actor=request.user, origin=practice, **data),
        _("Replication recorded."), practice, _("Link an existing practice as a replication of %(name)s")
        % {"name": practice.name},
        intro=_("For a unit that registered the practice before the replication was recorded. Its own "
                "replications move with it."))


@login_required
def commendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _changeable(request, pk)
    form = CommendationForm(request.POST or None, user=request.user, practice=practice)
    return _service_form(
        request, form, lambda data: services.add_commendation(actor=request.user, practice=practice, **data),
        _("Commendation recorded."), practice, _("Commendation for %(name)s") % {"name": practice.name})


@login_required
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _changeable(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    return _service_form(
        request, form, lambda data: services.add_photo(actor=request.user, practice=practice, upload=data["file"],
                                                       caption=data["caption"], is_public=data["is_public"]),
        _("Photo added."), practice, _("Add a photo to %(name)s") % {"name": practice.name},
        intro=_("The picture is re-encoded: location and camera data are removed."))


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _changeable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return _service_form(
        request, form, lambda data: services.add_document(actor=request.user, practice=practice,
                                                          upload=data["file"], title=data["title"],
                                                          is_public=data["is_public"]),
        _("Document added."), practice, _("Add a document to %(name)s") % {"name": practice.name})


def _serve(attachment: PracticePhoto | PracticeDocument, *, download: bool) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=attachment.content_type or "application/octet-stream",
                            as_attachment=download, filename=attachment.original_name if download else "")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(get_scoped_or_404(PracticePhoto, request.user, Action.VIEW, pk=pk), download=False)


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(get_scoped_or_404(PracticeDocument, request.user, Action.VIEW, pk=pk), download=True)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in {"anh", "tai-lieu"}:
        raise Http404
    model: type[Model] = PracticePhoto if kind == "anh" else PracticeDocument
    attachment = get_scoped_or_404(model, request.user, Action.CHANGE, pk=pk)
    practice = attachment.practice  # type: ignore[attr-defined]
    services.delete_attachment(actor=request.user, attachment=attachment)  # type: ignore[arg-type]
    messages.success(request, _("Deleted."))
    return redirect(practice)


# --- public showcase ---------------------------------------------------------------------------------


def _limited(request: HttpRequest) -> bool:
    """The public pages answer 429 with the shared page when an address asks too often (block=False plus
    this check, so the answer does not depend on a middleware being installed)."""
    return bool(getattr(request, "limited", False))


@ratelimit(key="ip", rate="120/m", block=False)
def showcase(request: HttpRequest) -> HttpResponse:
    if _limited(request):
        return rate_limited(request)
    # Each lineage once; but asked for one unit, show what runs there, replications included.
    filterset = PublicPracticeFilterSet(request.GET, queryset=selectors.public_practices(
        include_replications=bool(request.GET.get("unit"))))
    page = paginate(request, filterset.qs.prefetch_related("photos"), per_page=SHOWCASE_PER_PAGE)
    for practice in page:
        practice.cover = next((p for p in practice.photos.all() if p.is_public), None)  # type: ignore[attr-defined]
    template = "practices/_showcase_cards.html" if request.htmx else "practices/showcase.html"  # type: ignore[attr-defined]
    return render(request, template, {
        "filter": filterset, "page": page, "query": query_without_page(request),
        "fields": PracticeField.choices, "units": selectors.public_units()})


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


def public_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = PracticePhoto.objects.filter(pk=pk, is_public=True, practice__is_public=True).first()
    if photo is None:
        raise Http404
    response = _serve(photo, download=False)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def public_document(request: HttpRequest, pk: int) -> FileResponse:
    document = PracticeDocument.objects.filter(pk=pk, is_public=True, practice__is_public=True).first()
    if document is None:
        raise Http404
    return _serve(document, download=True)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def evidence_link(request: HttpRequest) -> HttpResponse:
    """Offer a practice as evidence for a record of another room (a plan task), from that record's page."""
    from django.apps import apps as django_apps

    practice = selectors.practice_detail(user=request.user, pk=_int(request.POST.get("practice")),
                                         action=Action.CHANGE)
    try:
        model = django_apps.get_model(request.POST.get("target_type", ""))
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    target = get_scoped_or_404(model, request.user, Action.VIEW, pk=_int(request.POST.get("target_id")))
    run_action(request, services.link_evidence, success=_("Linked %(name)s as evidence.") % {"name": practice.name},
               actor=request.user, practice=practice, target=target, note=request.POST.get("note", ""))
    return _back(request, reverse("practices:detail", args=[practice.pk]))


@login_required
@require_POST
def evidence_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_scoped_or_404(EvidenceLink.objects.select_related("practice__organisation"), request.user,
                             Action.CHANGE, pk=pk)
    services.unlink_evidence(actor=request.user, link=link)
    messages.success(request, _("Link removed."))
    return _back(request, reverse("practices:detail", args=[link.practice_id]))


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None

"""Public pages (no account): the intake form and its JSON twin, tracking by code, answered issues.

Nothing here shows a reporter's name, contact or exact address; free text is passed through
`redact()` before it is shown. Every form that writes is rate-limited per address, and a refused
submission re-renders with everything the citizen typed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from chithi.core.forms import apply_service_errors
from chithi.core.pagination import paginate, query_without_page

from . import codes, selectors, services
from .forms import LookupForm, PublicIssueForm, RateForm, ReopenForm
from .models import Issue, IssueChannel, IssueStatus

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d .-]{7,}\d(?!\w)")
# "số 12", "nhà 5A", "kiệt 45/2", "hẻm 3": a house number and its lead word.
_HOUSE = re.compile(r"\b(s[ốo]|nh[àa]|sn|ki[ệe]t|h[ẻe]m|ng[õo]|ng[áa]ch|l[ôo]|c[ăa]n)\s*\.?\s*\d+[\w/-]*",
                    re.IGNORECASE)
_NUMBER_STREET = re.compile(r"(?<![\w/])\d+[A-Za-z]?(/\d+)*\s+(?=(đường|phố|[A-ZĐ][a-zà-ỹ]+))")


def redact(text: str, *, name: str = "") -> str:
    """Text fit for a public page: e-mails, phone numbers, house numbers and the reporter's name go."""
    if not text:
        return ""
    text = _EMAIL.sub("…", text)
    text = _PHONE.sub("…", text)
    text = _HOUSE.sub("…", text)
    text = _NUMBER_STREET.sub("… ", text)
    if name and len(name.strip()) >= 3:
        text = re.sub(re.escape(name.strip()), "…", text, flags=re.IGNORECASE)
    return text


def intake_rate() -> str:
    return str(getattr(settings, "DIALOGUES_INTAKE_RATE", "5/10m"))


def lookup_rate() -> str:
    return str(getattr(settings, "DIALOGUES_LOOKUP_RATE", "60/m"))


def _too_many(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, method=["POST", "GET"], increment=True)


def _too_many_message() -> str:
    return _("Too many submissions from your address. Please wait a few minutes and try again; "
             "what you wrote is still in the form.")


# --- intake ---------------------------------------------------------------------------------------


def intake(request: HttpRequest) -> HttpResponse:
    """The citizen's form. On success: straight to the tracking page with the code shown."""
    form = PublicIssueForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _too_many(request, "dialogues.intake", intake_rate()):
            form.is_valid()  # keep what was typed and show it back
            form.add_error(None, _too_many_message())
            return _intake_page(request, form, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                issue = services.submit_issue(
                    actor=None, channel=IssueChannel.WEB, category=data["category"],
                    description=data["description"], area_unit=data.get("area_unit"),
                    address=data.get("address", ""), reporter_name=data.get("reporter_name", ""),
                    reporter_contact=data.get("reporter_contact", ""),
                    consent_to_publish=data.get("consent_to_publish", False), photos=data.get("photos") or [])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect(f"{issue.get_public_url()}?moi=1")
        status = 400
    return _intake_page(request, form, status=status)


def _intake_page(request: HttpRequest, form: PublicIssueForm, *, status: int) -> HttpResponse:
    return render(request, "dialogues/public_intake.html",
                  {"form": form, "photos_lost": bool(request.FILES) and status != 200}, status=status)


@csrf_exempt
@require_POST
def intake_api(request: HttpRequest) -> JsonResponse:
    """JSON twin of the form for apps and kiosks: POST {category, description, area_unit?, address?,
    reporter_name?, reporter_contact?, consent_to_publish?}; 201 {tracking_code, tracking_url}.
    No cookies are read, so CSRF does not apply; the same per-address limit as the form does."""
    if _too_many(request, "dialogues.intake", intake_rate()):
        return JsonResponse({"detail": _too_many_message()}, status=429)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errors": {"__all__": [_("The body must be a JSON object.")]}}, status=400)
    if payload.get("website"):
        return JsonResponse({"errors": {"__all__": [_("This form could not be accepted. Please try again.")]}},
                            status=400)
    category = selectors.public_category(code=str(payload.get("category", ""))[:40])
    area_unit = None
    if payload.get("area_unit") not in (None, ""):
        try:
            area_unit = selectors.public_wards().filter(pk=int(payload["area_unit"])).first()
        except (TypeError, ValueError):
            area_unit = None
        if area_unit is None:
            return JsonResponse({"errors": {"area_unit": [_("Unknown ward.")]}}, status=400)
    try:
        issue = services.submit_issue(
            actor=None, channel=IssueChannel.WEB, category=category,
            description=str(payload.get("description", "")), area_unit=area_unit,
            address=str(payload.get("address", "")), reporter_name=str(payload.get("reporter_name", "")),
            reporter_contact=str(payload.get("reporter_contact", "")),
            consent_to_publish=payload.get("consent_to_publish") is True)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse({"tracking_code": issue.display_code,
                         "tracking_url": request.build_absolute_uri(issue.get_public_url())}, status=201)


# --- tracking -------------------------------------------------------------------------------------


def track_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("dialogues:track", code=codes.display(form.cleaned_data["code"]))
    return render(request, "dialogues/public_lookup.html", {"form": form}, status=400 if form.errors else 200)


def _issue_or_404(request: HttpRequest, code: str) -> Issue:
    issue = selectors.public_issue(code=code)
    if issue is None:
        raise Http404  # the same answer for malformed and unknown codes: nothing to learn from it
    return issue


def _track_page(request: HttpRequest, issue: Issue, *, status: int = 200, **forms: Any) -> HttpResponse:
    original = issue.duplicate_of if issue.status == IssueStatus.MERGED else None
    context = {
        "issue": issue, "events": selectors.issue_timeline(issue=issue, public_only=True),
        "description": redact(issue.description, name=issue.reporter_name),
        "answer": redact(issue.answer, name=issue.reporter_name),
        "original_answer": redact(original.answer) if original and original.answer else "",
        "new": request.GET.get("moi") == "1",
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if services.can_reopen(issue) else None),
        "rate_form": forms.get("rate_form") or (RateForm() if services.can_rate(issue) else None),
        "reopen_days": services.reopen_days(),
    }
    response = render(request, "dialogues/public_track.html", context, status=status)
    # The code is the citizen's key: keep the page out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    if _too_many(request, "dialogues.lookup", lookup_rate()):
        return render(request, "core/429.html", {"message": _("Too many look-ups from your address. "
                                                              "Please wait a minute.")}, status=429)
    issue = _issue_or_404(request, code)
    if codes.display(issue.tracking_code) != code:
        return redirect("dialogues:track", code=issue.display_code)
    return _track_page(request, issue)


@require_POST
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    issue = _issue_or_404(request, code)
    form = ReopenForm(request.POST)
    if _too_many(request, "dialogues.intake", intake_rate()):
        form.is_valid()
        form.add_error(None, _too_many_message())
        return _track_page(request, issue, status=429, reopen_form=form)
    if form.is_valid():
        try:
            services.reopen_issue(issue=issue, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("dialogues:track", args=[issue.display_code]))
    return _track_page(request, issue, status=400, reopen_form=form)


@require_POST
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    issue = _issue_or_404(request, code)
    form = RateForm(request.POST)
    if _too_many(request, "dialogues.intake", intake_rate()):
        form.is_valid()
        form.add_error(None, _too_many_message())
        return _track_page(request, issue, status=429, rate_form=form)
    if form.is_valid():
        try:
            services.rate_issue(issue=issue, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("dialogues:track", args=[issue.display_code]))
    return _track_page(request, issue, status=400, rate_form=form)


# --- transparency ---------------------------------------------------------------------------------


def transparency(request: HttpRequest) -> HttpResponse:
    """Answered issues whose reporters agreed: the answer, the unit and the working days taken.
    Filtered by category and ward only — never by free text, which could match a reporter's name."""
    issues = selectors.published_issues()
    category = request.GET.get("category", "")
    ward = request.GET.get("ward", "")
    if category:
        issues = issues.filter(category__code=category[:40])
    if ward.isdigit():
        issues = issues.filter(area_unit_id=int(ward))
    page = paginate(request, issues, per_page=20)
    rows = [{"issue": issue, "description": redact(issue.description, name=issue.reporter_name),
             "answer": redact(issue.answer, name=issue.reporter_name)} for issue in page]
    return render(request, "dialogues/public_transparency.html", {
        "page": page, "rows": rows, "query": query_without_page(request),
        "categories": selectors.public_categories(),
        "wards": [{"pk": w.pk, "label": selectors.ward_label(w)} for w in selectors.public_wards()],
        "category": category, "ward": ward})

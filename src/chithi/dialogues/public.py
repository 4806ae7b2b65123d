"""Public pages (no account): the intake form and its JSON twin, tracking by code, answered issues.

Nothing here shows a reporter's name, contact or exact address; free text is passed through
`redact()` before it is shown. Every form that writes is rate-limited per address, and a refused
submission re-renders with everything the citizen typed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import secrets
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit import ALL as _ALL_METHODS
from django_ratelimit.core import get_usage, is_ratelimited

from chithi.core.forms import call_service
from chithi.core.inputs import check_encodable
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, has_any
from chithi.core.text import fold
from chithi.core.views import public

from . import codes, policy, selectors, services
from .filters import PublishedIssueFilterSet
from .forms import IntakeApiForm, LookupForm, PublicIssueForm, RateForm, ReopenForm, new_submission_key
from .models import Issue, IssueChannel, IssueStatus

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d .-]{7,}\d(?!\w)")
# "số 12", "nhà 5A", "kiệt 45/2", "hẻm 3": a house number and its lead word.
_HOUSE = re.compile(r"\b(s[ốo]|nh[àa]|sn|ki[ệe]t|h[ẻe]m|ng[õo]|ng[áa]ch|l[ôo]|c[ăa]n)\s*\.?\s*\d+[\w/-]*",
                    re.IGNORECASE)
_NUMBER_STREET = re.compile(r"(?<![\w/])\d+[A-Za-z]?(/\d+)*\s+(?=(đường|phố|[A-ZĐ][a-zà-ỹ]+))")


# "binh(at)gmail(dot)com", "binh [at] gmail [dot] com", "binh a còng gmail chấm com": an address written to
# dodge a filter (issue 9).
_AT = r"(?:@|[\(\[{]\s*(?:at|a\s*còng)\s*[\)\]}]|\s(?:at|a\s*còng)\s)"
_DOT = r"(?:\.|[\(\[{]\s*(?:dot|chấm)\s*[\)\]}]|\s(?:dot|chấm)\s)"
_OBFUSCATED_EMAIL = re.compile(rf"[\w.+-]+\s*{_AT}\s*[\w-]+(?:\s*{_DOT}\s*[\w-]+)+", re.IGNORECASE)


def _fold_char(char: str) -> str:
    """One character folded as core.text.fold folds words (tones and marks off, đ→d, lower case), kept one
    character long so positions in the folded text are positions in the original."""
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))[:1] or char
    return "d" if base in "đĐ" else base.lower()


def _redact_name(text: str, name: str) -> str:
    """The reporter's full name in any spelling (with or without diacritics, any case), then the given name
    alone where it is written as a name (capitalised): "bình thường" stays, "anh Binh" goes (issue 9)."""
    parts = [fold(p) for p in name.split()]
    if not parts or len(fold(name)) < 3:
        return text
    folded = "".join(_fold_char(c) for c in text)
    spans: list[tuple[int, int]] = []
    full = r"\s+".join(re.escape(p) for p in parts)
    spans += [m.span() for m in re.finditer(rf"(?<!\w){full}(?!\w)", folded)]
    given = parts[-1]
    if len(given) >= 3:
        spans += [m.span() for m in re.finditer(rf"(?<!\w){re.escape(given)}(?!\w)", folded)
                  if text[m.start()].isupper()]
    merged: list[list[int]] = []
    for start, end in sorted(spans):  # the given name lies inside the full name: one "…" for both
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + "…" + text[end:]
    return text


def redact(text: str, *, name: str = "") -> str:
    """Text fit for a public page: e-mails (also written as "(at)"/"(dot)"), phone numbers, house numbers and
    the reporter's name (folded, and its given name) go."""
    if not text:
        return ""
    text = _EMAIL.sub("…", text)
    text = _OBFUSCATED_EMAIL.sub("…", text)
    text = _PHONE.sub("…", text)
    text = _HOUSE.sub("…", text)
    text = _NUMBER_STREET.sub("… ", text)
    if name and len(name.strip()) >= 3:
        text = _redact_name(text, name.strip())
    return text


def intake_rate() -> str:
    """Submissions per device (the browser's cookie; an address when there is none)."""
    return str(getattr(settings, "DIALOGUES_INTAKE_RATE", "5/10m"))


def intake_address_rate() -> str:
    """Submissions per address: higher, as a one-stop desk or a carrier's NAT puts many people behind one."""
    return str(getattr(settings, "DIALOGUES_INTAKE_ADDRESS_RATE", "60/10m"))


def lookup_rate() -> str:
    return str(getattr(settings, "DIALOGUES_LOOKUP_RATE", "60/m"))


def _too_many(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, method=["POST", "GET"], increment=True)


def code_lookups_exceeded(request: HttpRequest) -> bool:
    """The one limit on testing tracking codes, per address, whatever the way: GET or HEAD on the tracking page,
    the Open311 token resource, the reopen and rating forms. Callers check it before looking the code up, so a
    guess past the limit learns nothing (issue 9: HEAD skipped it, the token resource had none, and the rating
    form answered 404 for a wrong code before counting)."""
    return is_ratelimited(request, group="dialogues.lookup", key="ip", rate=lookup_rate(), method=_ALL_METHODS,
                          increment=True)


def _lookup_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "core/429.html", {"message": _("Too many look-ups from your address. "
                                                          "Please wait a minute.")}, status=429)


# --- the intake limit: per device and per address, counted only for what was accepted ------------------

DEVICE_COOKIE = "chithi_device"
_DEVICE = re.compile(r"[0-9a-f]{32}")


def _device(request: HttpRequest) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if _DEVICE.fullmatch(value) else ""


def _device_key(group: str, request: HttpRequest) -> str:
    # Without a cookie (an app, a browser that refuses cookies) the address stands for the device.
    return f"d:{_device(request)}" if getattr(request, "_chithi_use_device", False) and _device(request) else \
        f"a:{request.META.get('REMOTE_ADDR', '')}"


def _intake_limits(request: HttpRequest) -> list[tuple[str, Any, str]]:
    return [("dialogues.intake.device", _device_key, intake_rate()),
            ("dialogues.intake.address", "ip", intake_address_rate())]


def _exempt(request: HttpRequest) -> bool:
    """Staff entering issues for residents (at a desk, on the phone) are never limited."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and has_any(user, Action.ADD))


def intake_wait(request: HttpRequest, *, cookies: bool = True) -> int:
    """Seconds until this device and address may submit again; 0: now. Asking counts nothing, so a refused
    attempt never uses up the quota (nor lengthens the wait)."""
    if _exempt(request):
        return 0
    request._chithi_use_device = cookies  # type: ignore[attr-defined]
    wait = 0
    for group, key, rate in _intake_limits(request):
        usage = get_usage(request, group=group, key=key, rate=rate, method=ratelimit_methods(), increment=False)
        if usage and usage["count"] >= usage["limit"]:
            wait = max(wait, int(usage["time_left"]), 1)
    return wait


def count_intake(request: HttpRequest, *, cookies: bool = True) -> None:
    """One accepted submission, counted against the device and the address."""
    if _exempt(request):
        return
    request._chithi_use_device = cookies  # type: ignore[attr-defined]
    for group, key, rate in _intake_limits(request):
        get_usage(request, group=group, key=key, rate=rate, method=ratelimit_methods(), increment=True)


def ratelimit_methods() -> list[str]:
    return ["POST", "GET"]


def with_device_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give a browser its device cookie (random, nothing personal) if it has none: the per-device limit
    tells people behind one address apart."""
    if not _device(request):
        response.set_cookie(DEVICE_COOKIE, secrets.token_hex(16), max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=request.is_secure())
    return response


def _wait_message(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    at = timezone.localtime() + dt.timedelta(seconds=wait)
    return ngettext(
        "Too many submissions from this device or address. Please try again in %(n)d minute (after %(at)s); "
        "what you wrote is still in the form.",
        "Too many submissions from this device or address. Please try again in %(n)d minutes (after %(at)s); "
        "what you wrote is still in the form.", minutes) % {"n": minutes, "at": at.strftime("%H:%M")}


def _refuse_too_many(form: forms.Form, wait: int) -> None:
    """The form shown again with what was typed, and why it was not sent and when to try again."""
    form.is_valid()
    form.add_error(None, _wait_message(wait))


def _retry_after[R: HttpResponse](response: R, wait: int) -> R:
    response["Retry-After"] = str(max(1, wait))
    return response


# --- intake ---------------------------------------------------------------------------------------


@public
@cache_control(public=True, max_age=600)
def ward_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of one province's wards for the province-first picker (forms.province_first): names of
    public units only, the same for everyone, so browsers and proxies may keep them for ten minutes."""
    wards = selectors.province_wards(request.GET.get("province"))
    return render(request, "dialogues/_ward_options.html",
                  {"wards": [(w.pk, selectors.ward_label(w)) for w in wards]})


@public
def intake(request: HttpRequest) -> HttpResponse:
    """The citizen's form. On success: straight to the tracking page with the code shown."""
    form = PublicIssueForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _intake_page(request, form, status=200)
    wait = intake_wait(request)
    if wait:
        _refuse_too_many(form, wait)
        return _retry_after(_intake_page(request, form, status=429), wait)
    if form.is_valid():
        issue = call_service(form, services.submit_issue, actor=request.user if _exempt(request) else None,
                             channel=IssueChannel.WEB, **form.issue_fields())
        if issue is not None:
            if not getattr(issue, "replayed", False):  # a retry is not a second submission for the limit
                count_intake(request)
            return with_device_cookie(request, redirect(f"{issue.get_public_url()}?moi=1"))
        if form.has_error("submission_key"):
            form = _key_reused(request, form)
    return _intake_page(request, form, status=400)


def _key_reused(request: HttpRequest, form: PublicIssueForm) -> PublicIssueForm:
    """This browser's form was sent and stored before (the answer was lost), and now comes back with another
    description. Say where the first one is (only this browser holds the key) and give the form a new key, so
    sending again files the new text as a new issue."""
    data = request.POST.copy()
    data["submission_key"] = new_submission_key()
    fresh = PublicIssueForm(data, request.FILES or None)
    fresh.is_valid()
    stored = Issue.objects.filter(submission_key=form.data.get("submission_key", "")).first()
    fresh.add_error(None, _("The issue sent earlier from this form was received with the code %(code)s. If this "
                            "is another issue, send the form again.") % {"code": stored.display_code if stored else ""})
    return fresh


def _intake_page(request: HttpRequest, form: PublicIssueForm, *, status: int) -> HttpResponse:
    return with_device_cookie(request, render(
        request, "dialogues/public_intake.html",
        {"form": form, "photos_lost": bool(request.FILES) and status != 200}, status=status))


def _foreign_browser_post(request: HttpRequest) -> JsonResponse | None:
    """A hostile page can make its visitors' browsers post text/plain (or a form) here without a preflight, and
    each visitor would file an issue (issue 9). JSON only, then, which a browser sends cross-site only after a
    CORS preflight we never grant; and a browser's Origin, when sent, must be this site or a trusted one."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return JsonResponse({"errors": {"__all__": [_("Send the issue as application/json.")]}}, status=415)
    origin = request.headers.get("origin")
    # "null" comes from sandboxed frames and file:// pages: never one of ours.
    if origin and origin not in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}:
        return JsonResponse({"errors": {"__all__": [_("Issues are accepted from this site and apps only.")]}},
                            status=403)
    return None


@public
@csrf_exempt
@require_POST
def intake_api(request: HttpRequest) -> JsonResponse:
    """JSON twin of the form for apps and kiosks: POST {category, description, area_unit?, address?,
    reporter_name?, reporter_contact?, consent_to_publish?}; 201 {tracking_code, tracking_url}.
    No cookies are read, so CSRF does not apply; the address stands for the device in the form's limit."""
    refused = _foreign_browser_post(request)
    if refused is not None:
        return refused
    wait = intake_wait(request, cookies=False)
    if wait:
        return _retry_after(JsonResponse({"detail": _wait_message(wait), "retry_after": wait}, status=429), wait)
    try:
        payload = check_encodable(json.loads(request.body or b"{}"))
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested 100,000 deep
        return JsonResponse({"errors": {"__all__": [_("The body must be a JSON object.")]}}, status=400)
    if "Idempotency-Key" in request.headers and "submission_key" not in payload:
        payload["submission_key"] = request.headers["Idempotency-Key"]
    form = IntakeApiForm(payload)
    if form.is_valid():
        issue = call_service(form, services.submit_issue, actor=None, channel=IssueChannel.WEB,
                             consent_to_publish=payload.get("consent_to_publish") is True, **form.issue_fields())
        if issue is not None:
            replayed = getattr(issue, "replayed", False)
            if not replayed:
                count_intake(request, cookies=False)
            response = JsonResponse({"tracking_code": issue.display_code,
                                     "tracking_url": request.build_absolute_uri(issue.get_public_url())},
                                    status=201)
            if replayed:  # the same answer as the first time, marked as such (as Stripe and the IETF draft do)
                response["Idempotent-Replayed"] = "true"
            return response
    # A key already used with other content is a conflict, not a bad request: the first issue stands.
    status = 409 if list(form.errors) == ["submission_key"] else 400
    return JsonResponse({"errors": {name: list(errors) for name, errors in form.errors.items()}}, status=status)


# --- tracking -------------------------------------------------------------------------------------


@public
def track_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("dialogues:track", code=codes.display(form.cleaned_data["code"]))
    return render(request, "dialogues/public_lookup.html", {"form": form}, status=400 if form.errors else 200)


def _issue_or_404(code: str) -> Issue:
    issue = selectors.public_issue(code=code)
    if issue is None:
        raise Http404  # the same answer for malformed and unknown codes: nothing to learn from it
    return issue


def _track_page(request: HttpRequest, issue: Issue, *, status: int = 200, **posted: Any) -> HttpResponse:
    original = issue.duplicate_of if issue.status == IssueStatus.MERGED else None
    allowed = policy.CITIZEN.allowed(None, issue)
    context = {
        "issue": issue, "events": selectors.issue_timeline(issue=issue, public_only=True),
        "description": redact(issue.description, name=issue.reporter_name),
        "answer": redact(issue.answer, name=issue.reporter_name),
        "original_answer": redact(original.answer) if original and original.answer else "",
        "new": request.GET.get("moi") == "1",
        "reopen_form": posted.get("reopen_form") or (ReopenForm() if "reopen" in allowed else None),
        "rate_form": posted.get("rate_form") or (RateForm() if "rate" in allowed else None),
        "reopen_days": policy.reopen_days(),
    }
    response = render(request, "dialogues/public_track.html", context, status=status)
    # The code is the citizen's key: keep the page out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    if code_lookups_exceeded(request):
        return _lookup_refused(request)
    issue = _issue_or_404(code)
    if codes.display(issue.tracking_code) != code:
        return redirect("dialogues:track", code=issue.display_code)
    return _track_page(request, issue)


def _citizen_step(request: HttpRequest, code: str, form: forms.Form, service: Any, name: str) -> HttpResponse:
    """Reopen or rate from the tracking page: the service is called with the form's fields; a refusal shows
    the page again with the form (as `name`) and what was typed."""
    if code_lookups_exceeded(request):
        return _lookup_refused(request)
    issue = _issue_or_404(code)
    wait = intake_wait(request)
    if wait:
        _refuse_too_many(form, wait)
        return _retry_after(_track_page(request, issue, status=429, **{name: form}), wait)
    if form.is_valid() and call_service(form, service, issue=issue, **form.cleaned_data) is not None:
        count_intake(request)
        return redirect(reverse("dialogues:track", args=[issue.display_code]))
    return _track_page(request, issue, status=400, **{name: form})


@public
@require_POST
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_step(request, code, ReopenForm(request.POST), services.reopen_issue, "reopen_form")


@public
@require_POST
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_step(request, code, RateForm(request.POST), services.rate_issue, "rate_form")


# --- transparency ---------------------------------------------------------------------------------


@public
def transparency(request: HttpRequest) -> HttpResponse:
    """Answered issues whose reporters agreed: the answer, the unit and the working days taken."""
    filterset = PublishedIssueFilterSet(request.GET, queryset=selectors.published_issues(), request=request)
    page = paginate(request, filterset.qs, per_page=20)
    rows = [{"issue": issue, "description": redact(issue.description, name=issue.reporter_name),
             "answer": redact(issue.answer, name=issue.reporter_name)} for issue in page]
    return render(request, "dialogues/public_transparency.html", {
        "filter": filterset, "page": page, "rows": rows, "query": query_without_page(request)})

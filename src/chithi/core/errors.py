"""Answers for failures: a database outage is a 503 with a Vietnamese message, anything else a plain 500;
never a stack trace, and neither touches the database (it may be what failed)."""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("chithi.errors")

# Paths whose clients read JSON: the API, Open311 and the public intake's JSON twin.
JSON_PREFIXES = ("/api/", "/open311/", "/gop-y/api/")
RETRY_AFTER_SECONDS = 30


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES) or "application/json" in request.headers.get("Accept", "")


def database_is_down(exc: BaseException | None) -> bool:
    """True for a lost or refused connection (OperationalError, InterfaceError): a retry may succeed.
    An IntegrityError or a programming error is a defect, not an outage."""
    from django.db import InterfaceError, OperationalError

    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if isinstance(exc, DatabaseError):
            return False
        exc = exc.__cause__ or exc.__context__
    return False


def _answer(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    if wants_json(request):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        # No RequestContext: context processors read the session and the user, i.e. the database.
        html = render_to_string("core/unavailable.html", {"title": title, "message": message,
                                                          "LANGUAGE_CODE": getattr(request, "LANGUAGE_CODE", "vi")})
        response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it for every uncaught exception (the traceback is already logged)."""
    exc = sys.exc_info()[1]
    if database_is_down(exc):
        logger.warning("database unavailable: %s answered 503 (%s)", request.path, exc.__class__.__name__)
        return _answer(request, status=503, title=_("Service temporarily unavailable"),
                       message=_("The system is temporarily unavailable because its database cannot be reached. "
                                 "Nothing you sent in this request was recorded: please try again in a few minutes."))
    return _answer(request, status=500, title=_("An error occurred"),
                   message=_("An error occurred on our side and it has been recorded. Please try again later."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page is in English and speaks of DEBUG; a citizen whose form expired (or
    whose browser refuses cookies) is told in Vietnamese what to do. The reason is logged, not shown."""
    from django.shortcuts import render

    logger.info("CSRF check failed on %s: %s", request.path, reason)
    message = _("This form has expired or your browser did not send its cookie, so nothing was recorded. Go back, "
                "reload the page and send it again. If it happens again, allow cookies for this site.")
    if wants_json(request):
        return JsonResponse({"detail": message}, status=403)
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return render(request, "core/csrf_failure.html", {"message": message, "back": back}, status=403)

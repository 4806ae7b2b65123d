"""Middleware that gives every request an id (logged, audited, returned) and exposes the acting user."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Take a well-formed X-Request-ID from a proxy, or make one, so logs and audit rows line up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else context.new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        token = context.set_request_id(rid)
        try:
            response = self.get_response(request)
        finally:
            context.reset_request_id(token)
        response["X-Request-ID"] = rid
        return response


class CurrentUserMiddleware:
    """Expose the authenticated user to services called without an explicit actor (admin actions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = context.set_actor(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            context.reset_actor(token)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.get_request_id() or "-"
        return True


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC set up
    in English would show English; the interface must read in Vietnamese by default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


MAX_REQUEST_BYTES = 30 * 1024 * 1024  # default of settings.CHITHI_MAX_REQUEST_BYTES: a few photos and a document


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than CHITHI_MAX_REQUEST_BYTES before anything reads it.

    DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, so a 200 MB multipart post was read (and spooled) in full
    before any form could refuse it (issue 9). Django never reads past CONTENT_LENGTH, so the declared length
    bounds what is read; the front server should still cap bodies (client_max_body_size) as well."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils.translation import gettext as _

        limit = int(getattr(settings, "CHITHI_MAX_REQUEST_BYTES", MAX_REQUEST_BYTES))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return HttpResponse(_("The request is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
                                status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulQueryMiddleware:
    """A NUL character in a query parameter is refused with a 400 before any view reads it: PostgreSQL text
    cannot hold one (DataError, a 500 in views that filter on the raw value, such as Open311's service_code),
    and no real link carries one (issue 9). Forms already refuse it in posted fields."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils.translation import gettext as _

        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return HttpResponse(_("The address contains a character that is not allowed."), status=400,
                                content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """An account flagged `must_change_password` reaches only the password change page (and signing out, static
    files) until the user has chosen a password of their own."""

    OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/dang-xuat/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            from django.shortcuts import redirect
            from django.urls import reverse

            target = reverse("core:password_change")
            if request.path != target and not request.path.startswith(self.OPEN_PREFIXES):
                return redirect(target)
        return self.get_response(request)


class NoUnitPageMiddleware:
    """A page that opens on the reader's own unit, asked by an account that holds no role on any live unit
    (core.permissions.NoUnitInScope): a page that says why there is nothing and whom to ask, not a 404. The menu
    stays the same for every signed-in account, so each of its entries opens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .permissions import NoUnitInScope

        if isinstance(exception, NoUnitInScope):
            return render(request, "core/no_unit.html")
        return None

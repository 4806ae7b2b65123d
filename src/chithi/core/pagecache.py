"""The page cache for anonymous visitors: public pages are kept whole in Django's cache (Redis in production,
local memory by default) and all dropped at once when something visible changes.

Every key carries a generation number. A service that changes what visitors see (publishing an article,
approving feedback) calls `changed()`, which moves the generation when its transaction commits, so no page
outlives what it shows; `changed(at=when)` also moves it when a scheduled publication time comes, with no
write at that moment (each request compares the clock with the earliest such time). A page is kept at most
PAGE_CACHE_SECONDS (300 s by default; 0 turns the cache off).

The CSRF token of a page's forms differs per visitor: it is stored as a placeholder and filled in on the way
out, so a cached page still carries the visitor's own token (and cookie).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

GENERATION = "pagecache:generation"
NEXT_CHANGE = "pagecache:next-change"
_HOLE = "__chithi_csrf_token__"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")


def seconds() -> int:
    """PAGE_CACHE_SECONDS from the settings, else from the environment; 300 by default, 0 turns the cache off."""
    configured = getattr(settings, "PAGE_CACHE_SECONDS", None)
    return int(configured if configured is not None else os.environ.get("PAGE_CACHE_SECONDS", "300"))


def changed(*, at: dt.datetime | None = None) -> None:
    """Something visitors see changed: every cached page goes once the transaction commits; with `at` (a
    scheduled publication), they go again when that time comes."""
    transaction.on_commit(_bump, robust=True)
    if at is not None:
        transaction.on_commit(lambda: _change_at(at.timestamp()), robust=True)


def _bump() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 2, None)


def _change_at(moment: float) -> None:
    current = cache.get(NEXT_CHANGE)
    if current is None or moment < current:
        cache.set(NEXT_CHANGE, moment, None)


def _generation() -> int:
    values = cache.get_many([GENERATION, NEXT_CHANGE])
    generation = values.get(GENERATION)
    if generation is None:
        generation = 1
        cache.add(GENERATION, generation, None)
    next_change = values.get(NEXT_CHANGE)
    if next_change is not None and timezone.now().timestamp() >= next_change:
        cache.delete(NEXT_CHANGE)
        _bump()
        return int(cache.get(GENERATION) or generation + 1)
    return int(generation)


def _key(request: HttpRequest, generation: int) -> str:
    language = getattr(request, "LANGUAGE_CODE", "")
    raw = f"{request.get_full_path()}|{language}|{request.headers.get('HX-Request', '')}"
    return f"pagecache:page:{generation}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _cacheable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (request.method in ("GET", "HEAD") and seconds() > 0
            and not (user is not None and user.is_authenticated)
            and "messages" not in request.COOKIES)  # a flash message belongs to one visitor


def anonymous_page_cache[V: Callable[..., HttpResponse]](view: V) -> V:
    """Serve the view's 200 answers to anonymous visitors from the cache (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, _generation())
        stored = cache.get(key)
        if stored is not None:
            status, headers, body = stored
            response = HttpResponse(body.replace(_HOLE, get_token(request)) if _HOLE in body else body,
                                    status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies.get("sessionid"):
            body = response.content.decode(response.charset or "utf-8")
            token = _rendered_token(body)
            if token:
                body = body.replace(token, _HOLE)
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            cache.set(key, (response.status_code, headers, body), seconds())
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper  # type: ignore[return-value]


def _rendered_token(body: str) -> str:
    """The masked CSRF token the template wrote into this page (one per render), if any."""
    marker = 'name="csrfmiddlewaretoken" value="'
    start = body.find(marker)
    if start == -1:
        return ""
    start += len(marker)
    return body[start:body.find('"', start)]

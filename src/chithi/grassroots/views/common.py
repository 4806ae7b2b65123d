"""What the grassroots pages share: the phone form page (one column, a draft kept in the browser), month
parameters, and the unit a page focuses on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from chithi.core.forms import form_page, step_refused
from chithi.core.permissions import Action, NoUnitInScope, restrict, scope_paths
from chithi.orgs.models import Organisation


def phone_form(request: HttpRequest, *, form: forms.Form, title: Any, save: Callable[[dict[str, Any]], Any],
               success: Any, back_url: str, draft: str, template: str = "grassroots/phone_form.html",
               context: dict[str, Any] | None = None, redirect_to: Callable[[Any], Any] | None = None) -> HttpResponse:
    """A form for field officers: one column, large targets, and a draft kept in the browser (drafts.js) under
    `draft` + the user, so a dropped connection or a closed tab loses nothing."""
    user_key = getattr(request.user, "pk", "")
    return form_page(request, form=form, title=title, save=save, success=success, back_url=back_url,
                     template=template, redirect_to=redirect_to,
                     context={"draft_key": f"{user_key}:{draft}", **(context or {})})


refused = step_refused  # a step the policy does not allow now: 404 out of scope, else back with the reason


def month_param(request: HttpRequest, name: str = "month") -> tuple[int, int]:
    """`?month=2026-03` (default: this month)."""
    raw = request.GET.get(name, "")
    try:
        year, month = (int(x) for x in raw.split("-", 1))
        dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


def year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def focus_unit(request: HttpRequest, *, param: str = "unit") -> Organisation:
    """The unit named by `?unit=` if the user may see it (else 404), or the top of the user's scope (NoUnitInScope
    when there is none: core.middleware.NoUnitPageMiddleware says so)."""
    visible = restrict(Organisation.objects.all(), request.user, Action.VIEW)
    raw = request.GET.get(param)
    if raw:
        try:
            return visible.get(pk=int(raw))
        except (ValueError, Organisation.DoesNotExist) as exc:
            raise Http404 from exc
    paths = scope_paths(request.user, Action.VIEW)
    top = visible.filter(dissolved_on__isnull=True).order_by("depth", "path").first() if paths is None else \
        visible.filter(path__in=paths).order_by("depth", "path").first()
    if top is None:
        raise NoUnitInScope
    return top


def shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + month - 1 + delta
    return f"{index // 12}-{index % 12 + 1:02d}"

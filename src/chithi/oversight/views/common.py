"""What the room's views share: a form page under an object, offered only when the policy allows the step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from chithi.core import pagination
from chithi.core.forms import form_page, step_refused
from chithi.core.permissions import Action, has_any

FORM = "core/form_page.html"  # with `object`, a breadcrumb back to it


offered = step_refused  # a step the policy does not allow now: 404 out of scope, else back with the reason


def step_page(request: HttpRequest, *, obj: Any, form: Any, title: Any, save: Callable[[dict[str, Any]], Any],
              success: Any, back: Any = None, intro: Any = "") -> HttpResponse:
    """A form page for one step of an object's life; on success back to the object (or `back`)."""
    target = back or obj
    return form_page(request, form=form, title=title, save=save, success=success, template=FORM,
                     back_url=target.get_absolute_url(), redirect_to=lambda _result: target,
                     context={"object": target, "intro": intro})


def policy_step(request: HttpRequest, policy: Any, action: str, obj: Any, *, back: Any = None,
                **page: Any) -> HttpResponse:
    """The page of a step the room's policy decides (`policy.decide(user, obj)[action]`): a 404 outside the
    scope, back with the reason when the object's state refuses it, else the form page (`step_page`)."""
    if (refused := offered(request, policy, action, obj, back=back)) is not None:
        return refused
    return step_page(request, obj=obj, back=back, **page)


def list_page(request: HttpRequest, template: str, rows: QuerySet[Any], **context: Any) -> HttpResponse:
    """A list of the room: paginated, its filters kept across pages, "add" offered to whoever may add somewhere
    (the form's unit field then holds only the units they may)."""
    return pagination.list_page(request, template, None, rows, can_add=has_any(request.user, Action.ADD), **context)

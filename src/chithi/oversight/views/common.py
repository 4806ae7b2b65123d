"""What the room's views share: a form page under an object, offered only when the policy allows the step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from chithi.core.forms import form_page
from chithi.core.policy import ObjectPolicy

FORM = "oversight/form.html"


def offered(request: HttpRequest, policy: ObjectPolicy[Any], action: str, obj: Any) -> HttpResponse | None:
    """None when the step is allowed now; else a 404 (out of scope) or back to the object with the reason."""
    decision = policy.decide(request.user, obj).get(action)
    if decision is None or not decision.in_scope:
        raise Http404
    if not decision:
        messages.error(request, decision.reason)
        return redirect(obj)
    return None


def step_page(request: HttpRequest, *, obj: Any, form: Any, title: Any, save: Callable[[dict[str, Any]], Any],
              success: Any, back: Any = None, intro: Any = "") -> HttpResponse:
    """A form page for one step of an object's life; on success back to the object (or `back`)."""
    target = back or obj
    return form_page(request, form=form, title=title, save=save, success=success, template=FORM,
                     back_url=target.get_absolute_url(), redirect_to=lambda _result: target,
                     context={"object": target, "intro": intro})

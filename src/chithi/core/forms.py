"""The one way a view runs a write service: `form_page` for a form page, `page_form` for a small form on an object's
page, `call_service` when a view needs the result itself, `run_action` for a one-button POST, `import_page` for a
spreadsheet upload. A service's ValidationError lands on the form (or as an error message), its PermissionDenied is
a 404 (what is outside the scope does not exist)."""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .xlsx import ImportRejected


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the named field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def call_service[T](form: forms.Form, service: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | None:
    """Run a write service for a form: its ValidationError lands on the form (None is returned),
    its PermissionDenied becomes a 404 (what is outside the scope does not exist)."""
    try:
        return service(*args, **kwargs)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc


def run_action(request: HttpRequest, service: Callable[..., Any], /, *, success: str, **kwargs: Any) -> bool:
    """Run a write service behind a one-button POST (no form page to redisplay): its ValidationError
    becomes an error message, its PermissionDenied a 404, success a success message."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, success)
    return True


def form_page(
    request: HttpRequest, *, form: forms.Form, title: Any, save: Callable[[dict[str, Any]], Any], success: Any,
    back_url: str | None = None, template: str = "core/form_page.html", context: dict[str, Any] | None = None,
    redirect_to: Callable[[Any], Any] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST call `save(cleaned_data)` (a service call) and go to what it returned
    (or `redirect_to(result)`) with the success message (or `success(result)`, when it names what was made);
    otherwise show the form again with every error."""
    if request.method == "POST" and form.is_valid():
        result = call_service(form, save, form.cleaned_data)
        if result is not None:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(redirect_to(result) if redirect_to else result)
    return render(request, template, {"form": form, "title": title, "back_url": back_url, **(context or {})})


def page_form[F: forms.Form](request: HttpRequest, form: F, save: Callable[[dict[str, Any]], Any], *, success: str,
                             back: Any, page: Callable[[F], HttpResponse]) -> HttpResponse:
    """A small form posted from an object's page (progress on a task, a document, evidence): done, the user is back
    on the page with `success`; refused by the form or by the service's ValidationError, `page(form)` draws the
    same page again with the form bound to what was typed and each error under its field. Redirecting with one
    generic message lost the typed note and did not say which field was wrong."""
    if form.is_valid() and call_service(form, lambda data: save(data) or True, dict(form.cleaned_data)):
        messages.success(request, success)
        return redirect(back)
    return page(form)


def import_page(
    request: HttpRequest, *, form: forms.Form, template: str, run: Callable[[bytes], Sized],
    success: Callable[[Sized], Any], redirect_to: str, context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A spreadsheet upload page: on a valid POST `run(file content)` (an all-or-nothing import service); its
    ImportRejected lists every bad cell as `errors` (core/_import_errors.html) and nothing was written."""
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            done = run(form.cleaned_data["file"].read())
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, success(done))
            return redirect(redirect_to)
    return render(request, template, {"form": form, "errors": errors, **(context or {})})


def step_refused(request: HttpRequest, policy: Any, action: str, obj: Any, back: Any = None) -> HttpResponse | None:
    """The page of a step the policy (a core.policy.ObjectPolicy) does not allow now: None when it is allowed;
    a 404 outside the scope; else back to the object (or `back`) with the reason, so a form is never offered and
    then refused."""
    decision = policy.decide(request.user, obj).get(action)
    if decision:
        return None
    if decision is None or not decision.in_scope:
        raise Http404
    messages.error(request, decision.reason)
    return redirect(back or obj)

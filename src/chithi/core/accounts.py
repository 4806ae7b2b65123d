"""Accounts: change one's password (/tai-khoan/mat-khau/, Django's validators), and "forgot password" — a reset
link by e-mail, rate-limited per address and per e-mail, and the same answer whether the address exists or not."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_ratelimit.decorators import ratelimit

from . import audit
from .models import AuditAction, User
from .types import AuthedRequest

# Enough for a person who mistyped their address; too few to probe which addresses have accounts.
RESET_RATE = "5/h"


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_lazy("E-mail for notifications"), required=False, max_length=254,
                             help_text=_lazy("Leave empty to receive no e-mail: notifications stay under the bell."))
    password = forms.CharField(label=_lazy("Your current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].initial = user.email

    def clean_password(self) -> str:
        # Whoever finds a signed-in screen must not be able to send the account's reset links to themselves.
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_lazy("The password is not correct."))
        return password


@login_required
def email_change(request: AuthedRequest) -> HttpResponse:
    from .forms import form_page
    from .services import change_email

    user: User = request.user  # type: ignore[assignment]
    return form_page(
        request, form=EmailChangeForm(user, request.POST or None), title=_("E-mail for notifications"),
        save=lambda data: change_email(actor=user, email=data["email"]),
        success=_("Your e-mail address has been saved."), back_url=reverse("core:account"),
        redirect_to=lambda _user: reverse("core:account"),
        context={"intro": _("Notifications and password-reset links are sent to this address.")})


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    if request.method == "POST" and form.is_valid():
        before = audit.snapshot(user)
        form.save()
        if user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False
        audit.record(action=AuditAction.UPDATE, obj=user, before=before, after=audit.snapshot(user), actor=user,
                     note=_("password changed"))
        update_session_auth_hash(request, user)  # stay signed in here, signed out everywhere else
        messages.success(request, _("Your password has been changed."))
        return redirect("core:account")
    return render(request, "core/password_change.html", {"form": form, "forced": user.must_change_password})


def _styled(form: Any) -> Any:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    return form


@method_decorator(ratelimit(key="ip", rate=RESET_RATE, method="POST", block=True), name="dispatch")
@method_decorator(ratelimit(key="post:email", rate=RESET_RATE, method="POST", block=True), name="dispatch")
class PasswordReset(auth_views.PasswordResetView):
    """Django's reset view: it answers "sent" for any address, and sends only to an active account's address."""
    chithi_public = True  # visitors without an account (core.testing.is_public)

    template_name = "core/password_reset_form.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def get_form(self, form_class: Any = None) -> Any:
        return _styled(super().get_form(form_class))


class PasswordResetDone(auth_views.PasswordResetDoneView):
    chithi_public = True  # visitors without an account (core.testing.is_public)
    template_name = "core/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    chithi_public = True  # visitors without an account (core.testing.is_public)
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def get_form(self, form_class: Any = None) -> Any:
        return _styled(super().get_form(form_class))

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        User.objects.filter(pk=form.user.pk).update(must_change_password=False)
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    chithi_public = True  # visitors without an account (core.testing.is_public)
    template_name = "core/password_reset_complete.html"

"""Pages every room shares: home, health check, notifications, the audit log, rate-limit answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import RedirectView

from . import history, panels
from .models import AuditEntry, Notification
from .pagecache import anonymous_page_cache
from .pagination import paginate, query_without_page
from .permissions import restrict
from .types import AuthedRequest


def public[F](view: F) -> F:
    """Marks a view as open to visitors without an account. The URL walk test (core.testing) expects the
    login wall on every view without this mark, and no citizen's personal data on every view with it."""
    view.chithi_public = True  # type: ignore[attr-defined]
    return view


class Favicon(RedirectView):
    """/favicon.ico → the site's icon (public, cacheable)."""

    chithi_public = True
    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("chithi/favicon.svg")


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database checked, 503 when it does not answer."""
    checks: dict[str, Any] = {}
    healthy = True
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connections["default"].vendor}
    except Exception as exc:
        healthy = False
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks,
                         "time": timezone.now().isoformat()}, status=200 if healthy else 503)


@public
def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("Too many requests from your address. Please wait a few minutes and try again.")
    if request.path.startswith(("/api/", "/open311/")) or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "core/429.html", {"message": message}, status=429)


@public
@anonymous_page_cache
def home(request: AuthedRequest) -> HttpResponse:
    """Signed-in users get their overview; a citizen gets the public pages, not a login form (from the page
    cache: the public rooms' services call core.pagecache.changed() when what it shows changes)."""
    if not request.user.is_authenticated:
        from django.conf import settings

        from . import navigation

        return render(request, "core/public_home.html", {
            "public_entries": navigation.entries(authenticated=False),
            # Sections the public rooms add to the citizens' home page (news, figures…).
            "panels": panels.render_context("core.public_home", user=request.user, obj=None),
            "canonical": f"{settings.SITE_URL}/", "og_type": "website", "og_title": "chithi",
            "og_description": _("Raise an issue with your ward and follow how it is answered, read the answers "
                                "given to others, and see the good practices of the units.")})
    from chithi.orgs.selectors import visible_orgs, visible_people

    context = {
        "org_count": visible_orgs(request.user).active().count(),
        "people_count": visible_people(request.user).count(),
        "my_roles": request.user.role_assignments.select_related("organisation").order_by("organisation__path"),
        "recent_changes": history.recent_changes(request.user),
        "today": dt.date.today(),
        # Sections other rooms add to the signed-in home page ("my work today"): core.rooms PanelSpec "core.home".
        "panels": panels.render_context("core.home", user=request.user, obj=request.user),
    }
    return render(request, "core/home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    from .audit_filters import AuditFilterForm
    from .history import readable

    form = AuditFilterForm(request.GET or None, user=request.user)
    entries = form.apply(restrict(AuditEntry.objects.select_related("user", "content_type"), request.user))
    page = paginate(request, entries)
    return render(request, "core/audit_log.html", {
        "page": page, "entries": readable(list(page), user=request.user), "filter": form,
        "query": query_without_page(request)})


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    items = Notification.objects.filter(user=request.user)
    return render(request, "core/notifications.html", {
        "page": paginate(request, items), "query": query_without_page(request)})


@login_required
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notification, pk=pk, user=request.user)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    return redirect(notice.url or "core:notifications")


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("core:notifications")


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    from rest_framework.authtoken.models import Token

    from .permissions import role_actions_text

    user = request.user
    person = getattr(user, "person", None)
    context: dict[str, Any] = {
        # Who the account is: the person, where they work now, and what each role lets them do — "Theo dõi" alone
        # did not tell a party member that it means "view only".
        "person": person,
        "memberships": list(person.current_memberships().order_by("organisation__path")) if person else [],
        "roles": [(ra, role_actions_text(ra.role)) for ra in user.role_assignments.select_related("organisation")
                  .order_by("organisation__path")],
        "token": Token.objects.filter(user=user).first(),
    }
    if request.method == "POST":
        from .services import issue_api_token

        token = issue_api_token(actor=user)  # type: ignore[arg-type]
        context.update(token=token, new_token=token.key)
    return render(request, "core/account.html", context)


class LoginView(auth_views.LoginView):
    """Sign-in with a limit per address across usernames (issue 9): axes locks a username at one address after
    AXES_FAILURE_LIMIT failures, so one address could try 3 passwords on each of 30 accounts unblocked. Here
    the address's failures are counted whatever the username, and past CHITHI_LOGIN_FAILURES_PER_ADDRESS the
    address is refused for the cool-off time. Only that address: the account itself is never locked by it, so an
    attacker cannot lock a real user out from elsewhere."""

    redirect_authenticated_user = True

    @staticmethod
    def _key(request: HttpRequest) -> str:
        return f"chithi:login-failures:{request.META.get('REMOTE_ADDR', '')}"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.core.cache import cache

        limit = int(getattr(settings, "CHITHI_LOGIN_FAILURES_PER_ADDRESS", 20))
        if int(cache.get(self._key(request), 0)) >= limit:
            return render(request, "core/429.html", {"message": _(
                "Too many failed sign-ins from your address. Please wait a few minutes.")}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        from django.core.cache import cache

        key = self._key(self.request)
        cooloff = int(float(getattr(settings, "AXES_COOLOFF_TIME", 0.25)) * 3600)
        if cache.add(key, 1, timeout=cooloff) is False:
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=cooloff)
        return super().form_invalid(form)

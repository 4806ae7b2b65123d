"""Template context every page needs: the menu and the unread notice count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import navigation
from .models import Notification


def navigation_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    unread = 0
    if authenticated:
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {
        "nav_entries": navigation.entries(authenticated=authenticated),
        "unread_notifications": unread,
    }

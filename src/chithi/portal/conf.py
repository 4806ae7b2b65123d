"""The room's settings, each from Django's settings or the environment, with a safe default."""

from __future__ import annotations

import os

from django.conf import settings


def _value(name: str, default: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


def feedback_rate() -> str:
    """Reader feedback accepted per address (django-ratelimit's rate syntax)."""
    return _value("PORTAL_FEEDBACK_RATE", "5/10m")


def search_rate() -> str:
    return _value("PORTAL_SEARCH_RATE", "60/m")


def site_url() -> str:
    """Absolute links (canonical, Open Graph, feeds, e-mails) start with this."""
    return str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")

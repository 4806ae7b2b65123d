"""How the URL walk reaches core's pages and the shared entry points (core.testing.Sample)."""

from __future__ import annotations

from chithi.core.testing import Sample

# Django's and DRF's own entry points that a visitor must reach without an account.
PUBLIC_ENTRY_POINTS = {"login", "set_language"}  # the API schema and docs need sign-in (issue 9)

SAMPLES = {
    "core:notification_read": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "core:notifications_read_all": Sample(post_only=True),
    "logout": Sample(post_only=True),
    "set_language": Sample(post_only=True),
    "healthz": Sample(skip_counts="a health probe, not a page"),
    "login": Sample(skip_counts="sends a signed-in user on to the overview"),
    "core:favicon": Sample(skip_counts="a redirect to the static icon"),
    "core:password_reset_confirm": Sample(kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}),
}

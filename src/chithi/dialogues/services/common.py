"""What every dialogues service shares: the limits on text, the timeline step, the notice to a unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.notify import notify
from chithi.core.writes import acting_user
from chithi.orgs.models import Organisation
from chithi.orgs.selectors import users_with_role

from ..models import Issue, IssueEvent

MAX_DESCRIPTION = 5000
MAX_NAME = 120
MAX_CONTACT = 120
MAX_ADDRESS = 255
MAX_AREA = 200
MAX_REASON = 2000
MAX_ANSWER = 10000
MAX_PHOTOS = 3


def clean_text(errors: dict[str, str], name: str, value: str, limit: int, *, required: bool = False,
               label: str = "") -> str:
    """The value stripped; a missing required value or one over `limit` characters is noted in `errors`."""
    value = (value or "").strip()
    if required and not value:
        errors[name] = _("%(field)s is required.") % {"field": label}
    elif len(value) > limit:
        errors[name] = _("At most %(n)d characters (you wrote %(m)d).") % {"n": limit, "m": len(value)}
    return value


def clean_reason(value: str, *, required: bool, field: str = "reason") -> str:
    errors: dict[str, str] = {}
    value = clean_text(errors, field, value, MAX_REASON, required=required, label=_("The reason"))
    if errors:
        raise ValidationError(errors)
    return value


def record_event(issue: Issue, kind: str, actor: Any, *, reason: str = "", from_unit: Organisation | None = None,
                 to_unit: Organisation | None = None, public: bool = True, at: dt.datetime | None = None,
                 ) -> IssueEvent:
    """One step on the issue's timeline (what the citizen and the staff read; the audit log is apart)."""
    user = acting_user(actor)
    return IssueEvent.objects.create(
        issue=issue, kind=kind, actor=user, actor_name=str(user.display_name())[:150] if user else "",
        reason=reason, from_unit=from_unit, to_unit=to_unit, public=public, at=at or timezone.now())


def notify_unit(unit: Organisation, issue: Issue, *, title: str, dedupe_key: str, upward: bool = True) -> int:
    """Tell the users of `unit` (or, with `upward`, of the nearest unit above it that has users) about the
    issue: in-app now, by e-mail once the transaction commits."""
    users = users_with_role(unit, upward=upward)
    if not users:
        return 0
    body = _("%(category)s — %(area)s. Due %(due)s.") % {
        "category": issue.category.name, "area": issue.area or "—",
        "due": issue.due_on.strftime("%d/%m/%Y") if issue.due_on else "—"}
    return notify(users=users, title=title, body=body, url=issue.get_absolute_url(), dedupe_key=dedupe_key)

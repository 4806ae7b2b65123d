"""What every dialogues service shares: the limits on text, the timeline step, the notice to a unit. The checks of a
citizen's contact are core.contacts' (one phone rule for every room)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.notify import notify, send_email_on_commit
from chithi.core.permissions import Action, roles_allowing
from chithi.core.writes import acting_user
from chithi.orgs.models import Organisation
from chithi.orgs.selectors import users_with_role

from ..models import PUBLIC_EVENTS, EventKind, Issue, IssueEvent

MAX_DESCRIPTION = 5000
MAX_NAME = 120
MAX_CONTACT = 120
MAX_ADDRESS = 255
MAX_AREA = 200
MAX_REASON = 2000
MAX_ANSWER = 10000
MAX_PHOTOS = 3

# Who handles a unit's issues: the roles that may change them (not viewers or leaders, who only read).
HANDLER_ROLES = tuple(roles_allowing(Action.CHANGE))
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Steps the citizen is told about by e-mail: the public ones, except those the citizen took.
CITIZEN_MAIL_EVENTS = PUBLIC_EVENTS - {EventKind.RATED}


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
    event = IssueEvent.objects.create(
        issue=issue, kind=kind, actor=user, actor_name=str(user.display_name())[:150] if user else "",
        reason=reason, from_unit=from_unit, to_unit=to_unit, public=public, at=at or timezone.now())
    if public and kind in CITIZEN_MAIL_EVENTS:
        mail_citizen(issue, event)
    return event


def citizen_email(issue: Issue) -> str:
    """The e-mail address in what the citizen left as contact ("0905…, nam@…"), or ""."""
    found = _EMAIL.search(issue.reporter_contact or "")
    return found.group(0) if found else ""


def tracking_link(issue: Issue) -> str:
    """The tracking page's absolute address (an e-mail is read far from the site: never a bare path)."""
    return f"{settings.SITE_URL.rstrip('/')}{issue.get_public_url()}"


def mail_citizen(issue: Issue, event: IssueEvent) -> None:
    """Tell a citizen who left an e-mail of a public step, once the transaction commits: the tracking code
    and its link on receipt, then each step (its unit, the public reason, the answer)."""
    address = citizen_email(issue)
    if not address:
        return
    code = issue.display_code
    if event.kind == EventKind.RECEIVED:
        title = _("Your issue was received: tracking code %(code)s") % {"code": code}
        lines = [_("Thank you. Your issue (%(category)s) was received on %(date)s.")
                 % {"category": issue.category.name, "date": timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M")},
                 _("Tracking code: %(code)s") % {"code": code}]
    else:
        title = _("Issue %(code)s: %(step)s") % {"code": code, "step": event.get_kind_display()}
        lines = [f"{event.get_kind_display()} — {timezone.localtime(event.at).strftime('%d/%m/%Y %H:%M')}"]
        if event.to_unit_id and event.to_unit:
            lines.append(_("Unit: %(unit)s") % {"unit": event.to_unit.name})
        if event.public_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": event.public_reason})
        if event.kind == EventKind.ANSWERED and issue.answer:
            lines.append(_("Answer:") + "\n" + issue.answer)
    lines.append(_("Follow your issue at: %(url)s") % {"url": tracking_link(issue)})
    send_email_on_commit(title=title, body="\n\n".join(lines), address=address)


def notify_unit(unit: Organisation, issue: Issue, *, title: str, dedupe_key: str, upward: bool = True,
                roles: Iterable[str] | None = None) -> int:
    """Tell the users of `unit` (or, with `upward`, of the nearest unit above it that has users) about the
    issue: in-app now, by e-mail once the transaction commits. `roles`: only those who hold one of them
    (HANDLER_ROLES: who can act on it); None: any role."""
    users = users_with_role(unit, roles=roles, upward=upward)
    if not users:
        return 0
    body = _("%(category)s — %(area)s. Due %(due)s.") % {
        "category": issue.category.name, "area": issue.area or "—",
        "due": issue.due_on.strftime("%d/%m/%Y") if issue.due_on else "—"}
    return notify(users=users, title=title, body=body, url=issue.get_absolute_url(), dedupe_key=dedupe_key)

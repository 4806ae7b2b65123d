"""Which actions a user may take now on an issue, a dialogue or an Open311 client (core.policy).

The issue page's buttons, the API's workflow actions and the services all ask these policies, so a step is
never offered and then refused. A refusal for scope is a PermissionDenied (answered as 404); a refusal for the
object's state is a ValidationError on the field the form shows it on ("status" for the staff's steps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, restrict
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from . import selectors
from .models import ApiClient, Dialogue, Issue, IssueStatus

S = IssueStatus
# The staff's steps on an issue and the statuses each may start from. "assign" gives a received or accepted
# issue its first unit; "reassign" moves it within the actor's units, "refer" to a unit elsewhere.
ISSUE_STEPS: dict[str, frozenset[str]] = {
    "accept": frozenset({S.RECEIVED}),
    "reject": frozenset({S.RECEIVED, S.ACCEPTED}),
    "merge": frozenset({S.RECEIVED, S.ACCEPTED, S.ASSIGNED}),
    "assign": frozenset({S.RECEIVED, S.ACCEPTED}),
    "reassign": frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}),
    "refer": frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}),
    "start": frozenset({S.ASSIGNED}),
    "answer": frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}),
    "close": frozenset({S.ANSWERED}),
}
ASSIGN_KINDS = ("assign", "reassign", "refer")


class FieldPolicy[T](ObjectPolicy[T]):
    """An ObjectPolicy whose state refusals land on a form field (`fields[action]`, else `field`)."""

    field = "status"
    fields: Mapping[str, str] = {}

    def check(self, user: Any, action: str, obj: T) -> None:
        try:
            super().check(user, action, obj)
        except ValidationError as exc:
            raise ValidationError({self.fields.get(action, self.field): exc.messages}) from exc


class IssuePolicy(FieldPolicy[Issue]):
    """A staff member may take a step on an issue their units handle (or were escalated to), when its
    status allows it."""

    def decide(self, user: Any, obj: Issue) -> dict[str, Decision]:
        if not restrict(Issue.objects.filter(pk=obj.pk), user, Action.CHANGE).exists():
            return dict.fromkeys(ISSUE_STEPS, OUT_OF_SCOPE)
        not_now = refuse(_("This step is not possible while the issue is '%(status)s'.")
                         % {"status": obj.get_status_display()})
        return {step: ALLOW if obj.status in statuses else not_now for step, statuses in ISSUE_STEPS.items()}


def reopen_days() -> int:
    """How many calendar days after the answer a citizen may reopen an issue (once)."""
    return int(getattr(settings, "DIALOGUES_REOPEN_DAYS", 15))


class CitizenPolicy(FieldPolicy[Issue]):
    """What the holder of the tracking code may do: reopen an answer once within the window, rate it once.
    The code is the key, so `user` is not asked."""

    fields = {"reopen": "reason", "rate": "rating"}

    def decide(self, user: Any, obj: Issue) -> dict[str, Decision]:
        now = timezone.now()
        answered = obj.status in (S.ANSWERED, S.CLOSED)
        in_window = obj.answered_at is not None and now - obj.answered_at <= dt.timedelta(days=reopen_days())
        return {
            "reopen": ALLOW if answered and obj.reopened_at is None and in_window else refuse(
                _("This issue can no longer be reopened: it can be reopened once, within %(n)d days of the answer.")
                % {"n": reopen_days()}),
            "rate": ALLOW if answered and obj.rating is None else refuse(
                _("This answer has already been rated, or there is no answer yet.")),
        }


class DialoguePolicy(ObjectPolicy[Dialogue]):
    def decide(self, user: Any, obj: Dialogue) -> dict[str, Decision]:
        path = obj.organisation.path
        change = ALLOW if allowed_on_path(user, Action.CHANGE, path) else OUT_OF_SCOPE
        return {"edit": change, "attach": change,
                "add_issue": ALLOW if allowed_on_path(user, Action.ADD, path) else OUT_OF_SCOPE}


def manages_intake(user: Any) -> bool:
    """Issue categories and Open311 keys belong to the administrators of the intake unit."""
    return bool(getattr(user, "is_superuser", False)) or allowed_on_path(user, Action.MANAGE_ROLES,
                                                                         selectors.intake_unit()[1])


class ApiClientPolicy(ObjectPolicy[ApiClient]):
    def decide(self, user: Any, obj: ApiClient) -> dict[str, Decision]:
        if not manages_intake(user):
            return dict.fromkeys(("rotate", "disable", "enable"), OUT_OF_SCOPE)
        return {"rotate": ALLOW,
                "disable": ALLOW if obj.active else refuse(_("This application is already disabled.")),
                "enable": refuse(_("This application is already enabled.")) if obj.active else ALLOW}


ISSUE = IssuePolicy()
CITIZEN = CitizenPolicy()
DIALOGUE = DialoguePolicy()
API_CLIENT = ApiClientPolicy()

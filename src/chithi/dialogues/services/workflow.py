"""The staff's workflow on an issue: accept, reject, merge, assign / reassign / refer, start, answer, close.

Each step locks the issue, asks the issue policy (scope, then status: the same answer the issue page's
buttons and the API use), writes the step on the issue's timeline and the change in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.notify import notify
from chithi.core.permissions import Action, allowed_on_path, restrict
from chithi.core.workdays import working_days_elapsed
from chithi.core.writes import acting_user, locked, model_update
from chithi.orgs.models import Organisation

from .. import policy, selectors
from ..models import EventKind, Issue, IssueStatus
from .common import HANDLER_ROLES, MAX_ANSWER, clean_reason, clean_text, notify_unit, record_event

# What the workflow (staff, citizen, escalation, restructuring) may change on an issue.
ISSUE_FIELDS = ("status", "status_reason", "assignee", "acknowledged_at", "due_on", "answer_due_on", "closed_at",
                "answer", "answered_at", "answered_by_unit", "duplicate_of", "organisation", "escalated_to",
                "escalated_stage", "reopened_at", "rating", "rating_comment", "answer_working_days")


class AssignKind:
    ASSIGN = "assign"
    REASSIGN = "reassign"
    REFER = "refer"


def step_issue(issue: Issue, actor: Any, *, note: str = "", related: Any = None, **changes: Any) -> Issue:
    """Write the changes of one step and its audit entry (filed under the unit that handles it next)."""
    unit = changes.get("organisation") or issue.organisation
    issue, _changed = model_update(instance=issue, data=changes, fields=ISSUE_FIELDS, actor=actor, note=note,
                                   org_path=unit.path, related=related)
    return issue


def _begin(actor: Any, issue: Issue, step: str) -> Issue:
    """The issue again under a row lock, once the policy allows `step` (else PermissionDenied or the
    reason on "status")."""
    issue = locked(issue)
    policy.ISSUE.check(actor, step, issue)
    return issue


@transaction.atomic
def accept_issue(*, actor: Any, issue: Issue, note: str = "") -> Issue:
    issue = _begin(actor, issue, "accept")
    record_event(issue, EventKind.ACCEPTED, actor, reason=clean_reason(note, required=False))
    return step_issue(issue, actor, status=IssueStatus.ACCEPTED, acknowledged_at=timezone.now(),
                      due_on=issue.answer_due_on)


@transaction.atomic
def reject_issue(*, actor: Any, issue: Issue, reason: str) -> Issue:
    issue = _begin(actor, issue, "reject")
    reason = clean_reason(reason, required=True)
    record_event(issue, EventKind.REJECTED, actor, reason=reason)
    return step_issue(issue, actor, status=IssueStatus.REJECTED, status_reason=reason,
                      acknowledged_at=issue.acknowledged_at or timezone.now(), closed_at=timezone.now(), due_on=None)


@transaction.atomic
def merge_issue(*, actor: Any, issue: Issue, duplicate_of: Issue, reason: str = "") -> Issue:
    """Close an issue as a duplicate of another the actor can see; chains point at the original, whose
    history shows the merge too."""
    issue = _begin(actor, issue, "merge")
    target = restrict(Issue.objects.filter(pk=duplicate_of.pk), actor, Action.VIEW).first()
    seen = {issue.pk}
    while target is not None and target.status == IssueStatus.MERGED and target.duplicate_of_id:
        seen.add(target.pk)
        target = Issue.objects.filter(pk=target.duplicate_of_id).first()
    if target is None or target.pk in seen:
        raise ValidationError({"duplicate_of": _("Choose another issue that you can see.")})
    reason = clean_reason(reason, required=False) or _("Same as issue %(code)s.") % {"code": target.display_code}
    record_event(issue, EventKind.MERGED, actor, reason=reason)
    return step_issue(issue, actor, related=target, status=IssueStatus.MERGED, duplicate_of=target,
                      status_reason=reason, acknowledged_at=issue.acknowledged_at or timezone.now(),
                      closed_at=timezone.now(), due_on=None)


def _check_assignee(assignee: Any, unit: Organisation) -> None:
    """An officer named on an issue holds a handling role on its unit or a unit under it."""
    from chithi.orgs.models import RoleAssignment

    holds = RoleAssignment.objects.filter(user=assignee, user__is_active=True, role__in=HANDLER_ROLES,
                                          organisation__path__startswith=unit.path,
                                          organisation__dissolved_on__isnull=True).exists()
    if not holds:
        raise ValidationError({"assignee": _("Choose an officer of this unit or of a unit under it.")})


@transaction.atomic
def assign_issue(*, actor: Any, issue: Issue, unit: Organisation | None = None, reason: str = "",
                 kind: str = AssignKind.ASSIGN, assignee: Any = None) -> Issue:
    """Give the issue to a unit, and optionally to a named officer of it (the officer's unit when no unit is
    named). Assign and reassign stay inside the actor's subtree; refer sends it to a unit elsewhere (e.g.
    the police) and needs a reason, as does a reassignment. The unit's handlers (or the officer) are told,
    and the unit's history shows the issue arriving."""
    if unit is None and assignee is not None:
        unit = _officer_unit(actor, assignee)
    if unit is None:
        raise ValidationError({"unit": _("Choose a unit or an officer.")})
    if kind not in policy.ASSIGN_KINDS:
        raise ValidationError({"kind": _("Unknown kind of assignment.")})
    issue = _begin(actor, issue, kind)
    reason = clean_reason(reason, required=kind != AssignKind.ASSIGN)
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit no longer exists.")})
    if kind == AssignKind.REFER:
        if not selectors.referral_targets().filter(pk=unit.pk).exists():
            raise ValidationError({"unit": _("Issues cannot be referred to this kind of unit.")})
    elif not allowed_on_path(actor, Action.CHANGE, unit.path):
        raise ValidationError({"unit": _("Choose a unit within your own; to send it elsewhere, refer it.")})
    if assignee is not None:
        if kind == AssignKind.REFER:
            raise ValidationError({"assignee": _("An issue referred elsewhere goes to the unit, not to an officer.")})
        _check_assignee(assignee, unit)
    if (unit.pk == issue.organisation_id and issue.status != IssueStatus.ACCEPTED and kind != AssignKind.ASSIGN
            and (assignee is None or assignee.pk == issue.assignee_id)):
        raise ValidationError({"unit": _("The issue is already with this unit.")})
    changes: dict[str, Any] = {}
    if issue.status == IssueStatus.RECEIVED:
        changes["acknowledged_at"] = timezone.now()
        record_event(issue, EventKind.ACCEPTED, actor)
    event_kind = {AssignKind.ASSIGN: EventKind.ASSIGNED, AssignKind.REASSIGN: EventKind.REASSIGNED,
                  AssignKind.REFER: EventKind.REFERRED}[kind]
    record_event(issue, event_kind, actor, reason=reason, from_unit=issue.organisation, to_unit=unit)
    status = IssueStatus.REOPENED if issue.status == IssueStatus.REOPENED else IssueStatus.ASSIGNED
    issue = step_issue(issue, actor, related=unit, organisation=unit, status=status, due_on=issue.answer_due_on,
                       assignee=assignee, **changes)
    title = _("New issue for %(unit)s: %(code)s") % {"unit": unit.name, "code": issue.display_code}
    dedupe_key = f"issue:{issue.pk}:assigned:{unit.pk}:{issue.events.count()}"
    if assignee is not None:
        notify(users=[assignee], title=title, body=issue.category.name, url=issue.get_absolute_url(),
               dedupe_key=dedupe_key)
    else:
        # Nobody with a handling role on the unit (a cell without accounts, an agency with only a viewer):
        # the nearest unit above it that has handlers is told instead.
        notify_unit(unit, issue, title=title, dedupe_key=dedupe_key, roles=HANDLER_ROLES)
    return issue


def _officer_unit(actor: Any, assignee: Any) -> Organisation | None:
    """The deepest unit within the actor's reach where the officer holds a handling role."""
    from chithi.orgs.models import RoleAssignment

    units = [ra.organisation for ra in RoleAssignment.objects.filter(
        user=assignee, role__in=HANDLER_ROLES, organisation__dissolved_on__isnull=True).select_related("organisation")]
    units = [u for u in units if allowed_on_path(actor, Action.CHANGE, u.path)]
    return max(units, key=lambda u: len(u.path), default=None)


def answering_unit(actor: Any, issue: Issue) -> Organisation:
    """The unit that signs an answer: the actor's own unit among those that cover the issue — the deepest
    one where the actor holds a role above the handling unit, else above the unit it was escalated to (a
    committee answering an overdue issue signs as itself). The handling unit when nothing tells (the system,
    a superuser without a role)."""
    from chithi.orgs.models import RoleAssignment

    user = acting_user(actor)
    if user is None:
        return issue.organisation
    held = [ra.organisation for ra in RoleAssignment.objects.filter(
        user=user, role__in=HANDLER_ROLES, organisation__dissolved_on__isnull=True).select_related("organisation")]
    for target in (issue.organisation, issue.escalated_to):
        if target is None:
            continue
        covering = [unit for unit in held if target.path.startswith(unit.path)]
        if covering:
            return max(covering, key=lambda u: len(u.path))
    return issue.organisation


@transaction.atomic
def start_issue(*, actor: Any, issue: Issue) -> Issue:
    issue = _begin(actor, issue, "start")
    record_event(issue, EventKind.STARTED, actor, to_unit=issue.organisation)
    return step_issue(issue, actor, status=IssueStatus.IN_PROGRESS)


@transaction.atomic
def answer_issue(*, actor: Any, issue: Issue, answer: str) -> Issue:
    issue = _begin(actor, issue, "answer")
    errors: dict[str, str] = {}
    answer = clean_text(errors, "answer", answer, MAX_ANSWER, required=True, label=_("The answer"))
    if errors:
        raise ValidationError(errors)
    unit = answering_unit(actor, issue)
    now = timezone.now()
    issue = step_issue(issue, actor, status=IssueStatus.ANSWERED, answer=answer, answered_at=now,
                       answer_working_days=working_days_elapsed(issue.received_at, now), answered_by_unit=unit,
                       due_on=None)
    # After the answer is on the issue: the citizen's e-mail for this step carries it.
    record_event(issue, EventKind.ANSWERED, actor, to_unit=unit)
    return issue


@transaction.atomic
def close_issue(*, actor: Any, issue: Issue, note: str = "") -> Issue:
    issue = _begin(actor, issue, "close")
    record_event(issue, EventKind.CLOSED, actor, reason=clean_reason(note, required=False))
    return step_issue(issue, actor, status=IssueStatus.CLOSED, closed_at=timezone.now())


STEP_SERVICES: dict[str, Callable[..., Issue]] = {
    "accept": accept_issue, "reject": reject_issue, "merge": merge_issue, "assign": assign_issue,
    "start": start_issue, "answer": answer_issue, "close": close_issue,
}


def take_step(*, actor: Any, issue: Issue, step: str, **fields: Any) -> Issue:
    """The step named `step` with the fields of its form or API body: the issue page and the API share it.
    Both call the optional note of accept and close `reason`, as reject calls its required one."""
    if step in ("accept", "close"):
        fields = {"note": fields.get("reason", "")}
    elif step == "start":
        fields = {}
    return STEP_SERVICES[step](actor=actor, issue=issue, **fields)

"""SLAs: overdue issues escalate to the parent of their unit once per stage; answered issues close
after the reopening window. Both run from the task worker (dialogues.tasks)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy
from ..models import EventKind, Issue, IssueStatus, Stage
from .common import notify_unit, record_event
from .workflow import step_issue


def escalate_overdue(*, today: dt.date | None = None, limit: int = 1000) -> int:
    """Escalate each overdue open issue to the parent of its handling unit, once per stage, and
    notify that unit's users (in-app and e-mail). Returns how many issues were escalated."""
    today = today or timezone.localdate()
    candidates = (Issue.objects.overdue(today).exclude(escalated_stage=Stage.REOPENED)
                  .order_by("due_on", "pk").values_list("pk", flat=True)[:limit])
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            issue = Issue.objects.select_for_update(of=("self",)).select_related(
                "category", "organisation", "organisation__parent").get(pk=pk)
            stage = issue.stage
            if not issue.is_overdue(today) or not stage or issue.escalated_stage == stage:
                continue
            unit = issue.organisation
            target = unit.parent if unit.parent_id and unit.parent and unit.parent.is_active else unit
            due = issue.due_on.strftime("%d/%m/%Y") if issue.due_on else ""
            record_event(issue, EventKind.ESCALATED, None, from_unit=unit, to_unit=target, public=False,
                         reason=_("Overdue since %(due)s (%(stage)s).") % {"due": due, "stage": Stage(stage).label})
            # The unit it goes up to sees the escalation on its own history too.
            step_issue(issue, None, note="escalated: overdue", related=target, escalated_to=target,
                       escalated_stage=stage)
            title = _("Overdue issue %(code)s escalated to %(unit)s") % {"code": issue.display_code,
                                                                         "unit": target.name}
            notify_unit(target, issue, title=title, dedupe_key=f"issue:{issue.pk}:escalated:{stage}")
            if target.pk != unit.pk:
                # Only the late unit's own users: the notice above already went up the tree.
                notify_unit(unit, issue, title=title, dedupe_key=f"issue:{issue.pk}:overdue:{stage}", upward=False)
            count += 1
    return count


def close_answered_after_window(*, now: dt.datetime | None = None) -> int:
    """Answered issues whose reopening window has passed are closed by the system."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=policy.reopen_days())
    count = 0
    for pk in list(Issue.objects.filter(status=IssueStatus.ANSWERED, answered_at__lt=limit)
                   .values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            issue = Issue.objects.select_for_update(of=("self",)).select_related("category", "organisation").get(pk=pk)
            if issue.status != IssueStatus.ANSWERED:
                continue
            record_event(issue, EventKind.CLOSED, None, reason=_("Closed automatically after %(n)d days without "
                                                                 "reopening.") % {"n": policy.reopen_days()})
            step_issue(issue, None, note="closed after the reopening window", status=IssueStatus.CLOSED,
                       closed_at=now)
            count += 1
    return count

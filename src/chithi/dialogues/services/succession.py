"""Restructuring: a merged or split unit's open issues and its categories' routing move to its successor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from chithi.orgs.models import Organisation

from ..models import OPEN_STATUSES, EventKind, Issue, IssueCategory
from .common import record_event
from .workflow import step_issue


def hand_over_issues(*, source: Organisation, successor: Organisation, effective_on: dt.date, actor: Any) -> None:
    """Called inside the merger's transaction (RoomConfig.successor_handler). Each move also shows on the
    retired unit's history."""
    for issue in Issue.objects.filter(Q(organisation=source) | Q(escalated_to=source),
                                      status__in=OPEN_STATUSES).select_related("category", "organisation"):
        changes: dict[str, Any] = {}
        if issue.organisation_id == source.pk:
            changes["organisation"] = successor
            record_event(issue, EventKind.TRANSFERRED, actor, from_unit=source, to_unit=successor, public=False,
                         reason=_("Restructuring effective %(d)s") % {"d": effective_on.strftime("%d/%m/%Y")})
        if issue.escalated_to_id == source.pk:
            changes["escalated_to"] = successor
        step_issue(issue, actor, note=_("moved to %(org)s") % {"org": successor.name}, related=source, **changes)
    IssueCategory.objects.filter(default_unit=source).update(default_unit=successor)

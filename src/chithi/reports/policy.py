"""Which actions a user may take now on a report: pages show buttons from `allowed()`, services and the API
call `check()`. The reporting unit edits and submits; the unit that opened the round returns or accepts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import EDITABLE_STATUSES, Report, ReportStatus, Round, RoundStatus

REPORT_ACTIONS = ("edit", "attach", "submit", "return", "accept", "correct", "compile", "number", "render")


class ReportPolicy(ObjectPolicy[Report]):
    def decide(self, user: Any, report: Report) -> Mapping[str, Decision]:
        own = allowed_on_path(user, Action.CHANGE, report.organisation.path)
        parent = allowed_on_path(user, Action.CHANGE, report.round.organisation.path)
        if not own and not parent:
            return dict.fromkeys(REPORT_ACTIONS, OUT_OF_SCOPE)
        status = report.status
        closed = report.round.status == RoundStatus.CLOSED
        editable = status in EDITABLE_STATUSES
        frozen = refuse(_("An accepted report is frozen: correct it with a new version and its reason."))
        not_editable = frozen if status == ReportStatus.ACCEPTED else refuse(
            _("This report is not a draft: it can no longer be changed."))
        decisions: dict[str, Decision] = {
            "edit": (OUT_OF_SCOPE if not own else ALLOW if editable else not_editable),
            # Files go with the text: added or removed while the report is a draft, frozen with it once accepted.
            "attach": (OUT_OF_SCOPE if not own else ALLOW if editable else not_editable),
            "submit": (OUT_OF_SCOPE if not own else
                       refuse(_("The round is closed: reports are no longer received.")) if closed else
                       ALLOW if editable else not_editable),
            "correct": (OUT_OF_SCOPE if not own else ALLOW if status == ReportStatus.ACCEPTED else
                        refuse(_("Only an accepted report is corrected with a new version."))),
            "compile": (OUT_OF_SCOPE if not own else ALLOW if report.compiled and editable else
                        refuse(_("Only the opening unit's own draft report is compiled."))),
            "number": (OUT_OF_SCOPE if not own else
                       ALLOW if status != ReportStatus.SUPERSEDED else refuse(_("This version was superseded."))),
            "render": OUT_OF_SCOPE if not own else ALLOW,
        }
        waiting = status == ReportStatus.SUBMITTED
        # The sub-unit never decides on its own report: only the unit that opened the round does.
        decides = parent and not report.compiled and report.organisation_id != report.round.organisation_id
        not_waiting = refuse(_("Only a submitted report can be returned or accepted."))
        decisions["return"] = OUT_OF_SCOPE if not decides else ALLOW if waiting else not_waiting
        decisions["accept"] = OUT_OF_SCOPE if not decides else ALLOW if waiting else not_waiting
        return decisions


class RoundPolicy(ObjectPolicy[Round]):
    def decide(self, user: Any, round_: Round) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, round_.organisation.path):
            return {"close": OUT_OF_SCOPE, "remind": OUT_OF_SCOPE}
        is_open = round_.status == RoundStatus.OPEN
        closed = refuse(_("The round is closed."))
        return {"close": ALLOW if is_open else closed, "remind": ALLOW if is_open else closed}


REPORT = ReportPolicy()
ROUND = RoundPolicy()

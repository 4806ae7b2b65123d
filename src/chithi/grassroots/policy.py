"""Which actions a user may take now on a meeting, a commitment, a working group, a visit, a home-help request and
a unit's flag ceremony. Pages show buttons from `allowed()`, services and the API call `check()`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, has_any
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse
from chithi.orgs.models import Organisation

from . import rules
from .models import (
    Commitment,
    HelpOutcome,
    HomeHelpRequest,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    Visit,
    VisitStatus,
    WorkingGroup,
)

MEETING_ACTIONS = ("edit", "cancel", "notify", "agenda", "attendance", "guests", "minutes", "approve", "correct",
                   "tasks", "review")


def latest_minutes(meeting: Meeting) -> MinutesVersion | None:
    """The newest version of the minutes (cached on the meeting for the request)."""
    cache = meeting.__dict__.setdefault("_latest_minutes", [])
    if not cache:
        cache.append(meeting.minutes.order_by("-number").first())
    return cache[0]  # type: ignore[no-any-return]


def forget_latest_minutes(meeting: Meeting) -> None:
    meeting.__dict__.pop("_latest_minutes", None)


def _all(decision: Decision, actions: tuple[str, ...]) -> dict[str, Decision]:
    return dict.fromkeys(actions, decision)


class MeetingPolicy(ObjectPolicy[Meeting]):
    def decide(self, user: Any, meeting: Meeting) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, meeting.organisation.path):
            return _all(OUT_OF_SCOPE, MEETING_ACTIONS)
        if meeting.status == MeetingStatus.CANCELLED:
            return _all(refuse(_("The meeting was cancelled.")), MEETING_ACTIONS)
        today = timezone.localdate()
        started = meeting.local_date() <= today
        minutes = latest_minutes(meeting)
        locked = minutes is not None and minutes.status == MinutesStatus.APPROVED
        locked_reason = _("The minutes are approved: correct them with a new version and its reason.")
        scheduled = meeting.status == MeetingStatus.SCHEDULED
        not_yet = refuse(_("Attendance is recorded on or after the meeting's day."))
        decisions = {
            "edit": ALLOW if scheduled and not started else refuse(_("Only a meeting still to come can be changed.")),
            "cancel": ALLOW if scheduled else refuse(_("A meeting that was held cannot be cancelled.")),
            "notify": ALLOW if scheduled and not started else refuse(_("Only a meeting still to come is announced.")),
            "agenda": refuse(locked_reason) if locked else ALLOW,
            "attendance": refuse(locked_reason) if locked else (ALLOW if started else not_yet),
            "guests": refuse(locked_reason) if locked else ALLOW,
            "tasks": refuse(locked_reason) if locked else (ALLOW if started else not_yet),
            "review": refuse(locked_reason) if locked else (ALLOW if started else not_yet),
        }
        if locked:
            decisions["minutes"] = refuse(locked_reason)
        elif meeting.status != MeetingStatus.HELD:
            decisions["minutes"] = refuse(_("Record the attendance first."))
        else:
            decisions["minutes"] = ALLOW
        if minutes is None or locked:
            decisions["approve"] = refuse(_("There is no draft of the minutes to approve."))
        elif minutes.chair_id is None or minutes.secretary_id is None:
            decisions["approve"] = refuse(_("Name the chair and the minute-taker before approving the minutes."))
        elif not minutes.resolution.strip():
            decisions["approve"] = refuse(_("Write the conclusion or resolution before approving the minutes."))
        else:
            decisions["approve"] = ALLOW
        decisions["correct"] = ALLOW if locked else refuse(_("Only approved minutes are corrected."))
        return decisions


def _is_own(user: Any, person_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.person_id == person_id)


def may_write_commitment(user: Any) -> bool:
    """Who may open "Write a commitment": a secretary for a member of their cells, a member for themself."""
    return has_any(user, Action.CHANGE) or getattr(user, "person_id", None) is not None


def may_book_help(user: Any) -> bool:
    """Who may book help at home: whoever may add records in some unit (the form then offers those units)."""
    return has_any(user, Action.ADD)


class CommitmentPolicy(ObjectPolicy[Commitment]):
    """A member writes their own commitment and reflections; the cell's secretary may too, and reviews them."""

    def decide(self, user: Any, commitment: Commitment) -> Mapping[str, Decision]:
        cell = allowed_on_path(user, Action.CHANGE, commitment.organisation.path)
        own = _is_own(user, commitment.person_id)
        if not cell and not own:
            return _all(OUT_OF_SCOPE, ("edit", "reflect", "review"))
        reviewed = refuse(_("The cell has reviewed this commitment; it can no longer change."))
        review_opens = dt.date(commitment.year, 12, 1)
        return {
            "edit": reviewed if commitment.review_grade else ALLOW,
            "reflect": reviewed if commitment.review_grade else ALLOW,
            "review": (OUT_OF_SCOPE if not cell else
                       refuse(_("The year-end review opens on %(day)s.") % {"day": review_opens.strftime("%d/%m/%Y")})
                       if timezone.localdate() < review_opens else ALLOW),
        }


class GroupPolicy(ObjectPolicy[WorkingGroup]):
    def decide(self, user: Any, group: WorkingGroup) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, group.organisation.path):
            return _all(OUT_OF_SCOPE, ("edit", "visit", "attend"))
        today = timezone.localdate()
        ended = group.ends_on is not None and group.ends_on < today
        over = refuse(_("The group's period is over."))
        return {"edit": ALLOW, "visit": over if ended else ALLOW, "attend": ALLOW}


class VisitPolicy(ObjectPolicy[Visit]):
    def decide(self, user: Any, visit: Visit) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, visit.group.organisation.path):
            return _all(OUT_OF_SCOPE, ("record", "concern", "raise", "cancel"))
        if visit.status == VisitStatus.CANCELLED:
            return _all(refuse(_("The visit was called off.")), ("record", "concern", "raise", "cancel"))
        started = visit.starts_at <= timezone.now()
        not_yet = refuse(_("A visit is recorded once it has taken place."))
        return {"record": ALLOW if started else not_yet, "concern": ALLOW if started else not_yet,
                "raise": ALLOW if started else not_yet,
                "cancel": ALLOW if visit.status == VisitStatus.PLANNED
                else refuse(_("Only a planned visit can be called off."))}


class HomeHelpPolicy(ObjectPolicy[HomeHelpRequest]):
    def decide(self, user: Any, request: HomeHelpRequest) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, request.organisation.path):
            return _all(OUT_OF_SCOPE, ("reschedule", "outcome"))
        finished = request.outcome in (HelpOutcome.DONE, HelpOutcome.REFERRED)
        closed = refuse(_("This request is finished."))
        return {
            "reschedule": closed if finished else ALLOW,
            "outcome": closed if finished else (
                ALLOW if request.slot_start <= timezone.now()
                else refuse(_("The outcome is recorded once the appointment has begun."))),
        }


class CeremonyPolicy(ObjectPolicy[Organisation]):
    """May the user record the flag ceremony of this unit?"""

    def decide(self, user: Any, unit: Organisation) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, unit.path):
            return {"record": OUT_OF_SCOPE}
        if unit.kind not in rules.flag_unit_kinds():
            return {"record": refuse(_("This kind of unit does not hold the monthly flag ceremony."))}
        if not unit.is_active:
            return {"record": refuse(_("This unit no longer exists."))}
        return {"record": ALLOW}


MEETING = MeetingPolicy()
COMMITMENT = CommitmentPolicy()
GROUP = GroupPolicy()
VISIT = VisitPolicy()
HOME_HELP = HomeHelpPolicy()
CEREMONY = CeremonyPolicy()

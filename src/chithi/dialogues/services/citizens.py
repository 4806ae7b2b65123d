"""What the holder of a tracking code may do: reopen the answer once within the window, rate it once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.workdays import add_working_days
from chithi.core.writes import locked

from .. import policy
from ..models import EventKind, Issue, IssueStatus
from .common import clean_reason, clean_text, notify_unit, record_event
from .workflow import step_issue


@transaction.atomic
def reopen_issue(*, issue: Issue, reason: str) -> Issue:
    """The citizen reopens an answered issue: it goes back to its unit with a new answer deadline."""
    issue = locked(issue)
    policy.CITIZEN.check(None, "reopen", issue)
    reason = clean_reason(reason, required=True)
    due = add_working_days(timezone.localdate(), issue.category.answer_days)
    record_event(issue, EventKind.REOPENED, None, reason=reason)
    issue = step_issue(issue, None, note="reopened by the citizen", status=IssueStatus.REOPENED,
                       reopened_at=timezone.now(), closed_at=None, rating=None, rating_comment="",
                       answer_due_on=due, due_on=due)
    notify_unit(issue.organisation, issue, title=_("Issue %(code)s was reopened by the citizen")
                % {"code": issue.display_code}, dedupe_key=f"issue:{issue.pk}:reopened")
    return issue


@transaction.atomic
def rate_issue(*, issue: Issue, rating: int, comment: str = "") -> Issue:
    issue = locked(issue)
    policy.CITIZEN.check(None, "rate", issue)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
    errors: dict[str, str] = {}
    comment = clean_text(errors, "comment", comment, 500)
    if errors:
        raise ValidationError(errors)
    record_event(issue, EventKind.RATED, None, reason=f"{rating}/5")
    return step_issue(issue, None, note="rated by the citizen", rating=rating, rating_comment=comment)

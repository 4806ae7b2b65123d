"""Reader feedback: a visitor's message under an article waits for an editor, who publishes, rejects or answers
it; the sender hears by e-mail when it is published or answered (after the transaction commits)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chithi.core import pagecache
from chithi.core.notify import notify, send_email_on_commit
from chithi.core.writes import acting_user, locked, model_update, save_new
from chithi.orgs.selectors import users_with_role

from .. import conf, policy
from ..models import Article, Feedback, FeedbackStatus

MESSAGE_MAX = 3000
# NUL and other control characters (PostgreSQL refuses NUL in text), and bidirectional overrides that would
# let a message display differently from what it says.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _text(value: str) -> str:
    return _CONTROL.sub("", value or "").strip()


@transaction.atomic
def submit_feedback(*, article: Article, name: str, email: str, message: str, show_name: bool = True) -> Feedback:
    """A visitor's feedback, held for moderation. Name and e-mail stay private."""
    if not article.is_live:
        raise ValidationError(_("This article does not take feedback."))
    name, email, message = _text(name), _text(email).lower(), _text(message)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > 120:
        errors["name"] = _("At most %(limit)d characters.") % {"limit": 120}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address: the answer is sent there.")
    if not message:
        errors["message"] = _("This field is required.")
    elif len(message) > MESSAGE_MAX:
        errors["message"] = _("At most %(limit)d characters.") % {"limit": MESSAGE_MAX}
    if errors:
        raise ValidationError(errors)
    feedback = save_new(Feedback(article=article, name=name, email=email, message=message, show_name=show_name),
                        actor=None, related=article, after={"article": article.pk, "status": FeedbackStatus.PENDING})
    notify(users=users_with_role(article.organisation, roles=policy.EDITOR_ROLES, upward=True), email=False,
           title=_("New reader feedback on “%(title)s”") % {"title": article.title[:200]},
           url=f"{reverse('portal:feedback_queue')}?status={FeedbackStatus.PENDING}",
           dedupe_key=f"portal.feedback.{feedback.pk}")
    return feedback


def _tell_sender(feedback: Feedback, *, subject: str, lines: list[str]) -> None:
    link = f"{conf.site_url()}{feedback.article.get_public_url()}#phan-hoi-{feedback.pk}"
    send_email_on_commit(title=subject, body="\n\n".join([*lines, link]), address=feedback.email)


def _moderated(feedback: Feedback, actor: Any, **changes: Any) -> Feedback:
    data = {"moderated_at": timezone.now(), "moderated_by": acting_user(actor), **changes}
    feedback, _changed = model_update(instance=feedback, data=data, fields=list(data), actor=actor,
                                      related=feedback.article, snapshot=_snapshot)
    return feedback


def _snapshot(feedback: Feedback) -> dict[str, Any]:
    """The audit log keeps the moderation, not the sender's name and address."""
    return {"status": feedback.status, "answer": feedback.answer, "reason": feedback.reason}


@transaction.atomic
def approve_feedback(*, actor: Any, feedback: Feedback) -> Feedback:
    feedback = locked(feedback)
    policy.FEEDBACK.check(actor, "approve", feedback)
    feedback = _moderated(feedback, actor, status=FeedbackStatus.PUBLISHED)
    pagecache.changed()
    with translation.override("vi"):
        _tell_sender(feedback, subject=_("Your feedback was published"), lines=[
            _("Thank you. Your feedback on “%(title)s” is now published on the article's page.")
            % {"title": feedback.article.title}])
    return feedback


@transaction.atomic
def reject_feedback(*, actor: Any, feedback: Feedback, reason: str = "") -> Feedback:
    feedback = locked(feedback)
    policy.FEEDBACK.check(actor, "reject", feedback)
    was_public = feedback.is_public
    feedback = _moderated(feedback, actor, status=FeedbackStatus.REJECTED, reason=_text(reason)[:500])
    if was_public:
        pagecache.changed()
    return feedback


@transaction.atomic
def answer_feedback(*, actor: Any, feedback: Feedback, answer: str) -> Feedback:
    """Publish the feedback (when it was waiting) with the editor's answer under it."""
    feedback = locked(feedback)
    policy.FEEDBACK.check(actor, "answer", feedback)
    answer = _text(answer)
    if not answer:
        raise ValidationError({"answer": _("This field is required.")})
    if len(answer) > MESSAGE_MAX:
        raise ValidationError({"answer": _("At most %(limit)d characters.") % {"limit": MESSAGE_MAX}})
    feedback = _moderated(feedback, actor, status=FeedbackStatus.ANSWERED, answer=answer,
                          answered_at=timezone.now())
    pagecache.changed()
    with translation.override("vi"):
        _tell_sender(feedback, subject=_("Your feedback was answered"), lines=[
            _("Your feedback on “%(title)s” has an answer:") % {"title": feedback.article.title}, answer])
    return feedback

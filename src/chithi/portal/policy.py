"""Who may do what to an article and to reader feedback, now: the buttons, the API and the services ask here.

Writers are the unit's staff, secretaries and administrators (ADD on the unit or above); editors are its
secretaries and administrators (or those of a unit above). An article goes draft → waiting for review →
published (now or at a set time); writers edit drafts, editors review, publish, return, withdraw and edit
what is published (each save keeps a version). Editors moderate the feedback under their unit's articles.
What a role does not allow reads like what is outside the scope (404); a step the state does not allow
gives the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, Role, allowed_on_path
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import Article, ArticleStatus, Feedback, FeedbackStatus

EDITOR_ROLES = (Role.ADMIN, Role.SECRETARY)


def editor_paths(user: Any) -> list[str] | None:
    """Organisation paths under which the user is an editor; None: everywhere (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache: dict[str, list[str]] = user.__dict__.setdefault("_chithi_scope_cache", {})
    if "portal.editor" not in cache:
        assignment = apps.get_model("orgs", "RoleAssignment")
        cache["portal.editor"] = list(assignment.objects.filter(
            user=user, role__in=EDITOR_ROLES, organisation__dissolved_on__isnull=True,
        ).values_list("organisation__path", flat=True))
    return cache["portal.editor"]


def is_editor(user: Any, path: str) -> bool:
    paths = editor_paths(user)
    return paths is None or any(path.startswith(p) for p in paths)


def is_writer(user: Any, path: str) -> bool:
    return allowed_on_path(user, Action.ADD, path)


class ArticlePolicy(ObjectPolicy[Article]):
    def decide(self, user: Any, obj: Article) -> Mapping[str, Decision]:
        path = obj.organisation.path
        if not allowed_on_path(user, Action.VIEW, path):
            return dict.fromkeys(("edit", "submit", "publish", "return", "withdraw", "images"), OUT_OF_SCOPE)
        editor, writer = is_editor(user, path), is_writer(user, path)
        status = obj.status
        # What the user's role does not allow is never offered, and reads like what is outside the scope (404);
        # only a refusal for the article's state gives a reason.
        not_yours = OUT_OF_SCOPE

        def for_editor(allowed_states: tuple[str, ...], wrong_state: str) -> Decision:
            if not editor:
                return not_yours
            return ALLOW if status in allowed_states else refuse(wrong_state)

        if status == ArticleStatus.DRAFT:
            edit = ALLOW if writer else OUT_OF_SCOPE
        else:
            edit = for_editor((ArticleStatus.REVIEW, ArticleStatus.PUBLISHED, ArticleStatus.WITHDRAWN),
                              _("This article cannot be edited now."))
        return {
            "edit": edit,
            "images": edit,
            "submit": (ALLOW if writer and status == ArticleStatus.DRAFT
                       else refuse(_("Only a draft can be sent for review.")) if writer else OUT_OF_SCOPE),
            "publish": for_editor((ArticleStatus.REVIEW, ArticleStatus.WITHDRAWN),
                                  _("Only an article waiting for review (or withdrawn) can be published.")),
            "return": for_editor((ArticleStatus.REVIEW, ArticleStatus.PUBLISHED),
                                 _("Only an article under review or published can be returned to its writer.")),
            "withdraw": for_editor((ArticleStatus.PUBLISHED,), _("Only a published article can be withdrawn.")),
        }


class FeedbackPolicy(ObjectPolicy[Feedback]):
    def decide(self, user: Any, obj: Feedback) -> Mapping[str, Decision]:
        path = obj.article.organisation.path
        if not allowed_on_path(user, Action.VIEW, path):
            return dict.fromkeys(("approve", "reject", "answer"), OUT_OF_SCOPE)
        if not is_editor(user, path):
            return dict.fromkeys(("approve", "reject", "answer"), OUT_OF_SCOPE)
        status = obj.status
        return {
            "approve": ALLOW if status == FeedbackStatus.PENDING else refuse(_("This feedback was already moderated.")),
            "reject": (ALLOW if status in (FeedbackStatus.PENDING, FeedbackStatus.PUBLISHED)
                       else refuse(_("This feedback cannot be rejected now."))),
            "answer": (ALLOW if status != FeedbackStatus.REJECTED
                       else refuse(_("Rejected feedback cannot be answered."))),
        }


ARTICLE = ArticlePolicy()
FEEDBACK = FeedbackPolicy()

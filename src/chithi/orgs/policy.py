"""Which actions a user may take on a unit, a person or a membership now: one policy per aggregate, asked by the
pages (which buttons to show), the API and the services (core.policy)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import Membership, Organisation, Person
from .selectors import writable_people


class _FieldPolicy[T](ObjectPolicy[T]):
    """`check` that names the form or API field a refusal for the object's state belongs to."""

    def check(self, user: Any, action: str, obj: T, *, field: str | None = None) -> None:
        try:
            super().check(user, action, obj)
        except ValidationError as exc:
            if field is None:
                raise
            raise ValidationError({field: exc.messages}) from None


class OrganisationPolicy(_FieldPolicy[Organisation]):
    """edit; add (a sub-unit or a person); restructure (split it, or merge it into another unit); merge_into (be
    the target of a merger); manage_roles (see and revoke the roles on it); assign_role."""

    def decide(self, user: Any, obj: Organisation) -> Mapping[str, Decision]:
        org = obj

        def decision(action: Action, *, ceased: str | None, top_level: str | None = None) -> Decision:
            if not allowed_on_path(user, action, org.path):
                return OUT_OF_SCOPE
            if ceased is not None and not org.is_active:
                return refuse(ceased % {"org": org.name})
            if top_level is not None and org.parent_id is None:
                return refuse(top_level)
            return ALLOW

        gone = _("%(org)s no longer exists.")
        # Where the user picks this unit to put something in it, point them to the successor.
        pick_successor = _("%(org)s no longer exists; choose its successor.")
        return {
            "edit": decision(Action.CHANGE, ceased=gone),
            "add": decision(Action.ADD, ceased=pick_successor),
            "restructure": decision(Action.RESTRUCTURE, ceased=gone,
                                    top_level=_("The top-level unit cannot be restructured.")),
            # Being merged into changes the target as much as the sources (their people, sub-units and roles
            # arrive): restructuring rights on it, not just CHANGE (issue 9).
            "merge_into": decision(Action.RESTRUCTURE, ceased=gone),
            "manage_roles": decision(Action.MANAGE_ROLES, ceased=None),  # a ceased unit's roles stay readable
            "assign_role": decision(Action.MANAGE_ROLES, ceased=pick_successor),
        }


class PersonPolicy(_FieldPolicy[Person]):
    """edit (the person's own record) and add_membership. Who may write a person is `selectors.writable_people`,
    the one rule the pages, the API's querysets and the services share."""

    def decide(self, user: Any, obj: Person) -> Mapping[str, Decision]:
        writable = ALLOW if writable_people(user).filter(pk=obj.pk).exists() else OUT_OF_SCOPE
        return {"edit": writable, "add_membership": writable}


class MembershipPolicy(_FieldPolicy[Membership]):
    """end: close a current membership; correct: fix what was recorded of a current one (its position, its start).
    The unit it belongs to must be in the user's change scope."""

    def decide(self, user: Any, obj: Membership) -> Mapping[str, Decision]:
        if not allowed_on_path(user, Action.CHANGE, obj.organisation.path):
            return {"end": OUT_OF_SCOPE, "correct": OUT_OF_SCOPE}
        if obj.until is not None:
            ended = refuse(_("This membership has already ended."))
            return {"end": ended, "correct": ended}
        return {"end": ALLOW, "correct": ALLOW}


ORGANISATION = OrganisationPolicy()
PERSON = PersonPolicy()
MEMBERSHIP = MembershipPolicy()

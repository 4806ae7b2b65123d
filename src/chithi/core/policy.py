"""One policy per aggregate: one function answers which actions a user may take on an object now.

A room writes `policy.py` with a subclass of `ObjectPolicy` for each aggregate (an issue, a plan, a
meeting…). The page asks `allowed(user, obj)` to decide which buttons to show, the API and the service ask
`check(user, action, obj)`, so nothing is offered and then refused. A refusal for scope raises
PermissionDenied (answered as 404); a refusal for the object's state raises ValidationError with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # why not, when the scope allows it but the object's state does not
    in_scope: bool = True

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)
OUT_OF_SCOPE = Decision(False, in_scope=False)


def refuse(reason: str) -> Decision:
    return Decision(False, reason)


class ObjectPolicy[T]:
    """Subclasses implement `decide(user, obj) -> {action: Decision}` for every action they know."""

    def decide(self, user: Any, obj: T) -> Mapping[str, Decision]:
        raise NotImplementedError

    def allowed(self, user: Any, obj: T) -> set[str]:
        return {action for action, decision in self.decide(user, obj).items() if decision}

    def check(self, user: Any, action: str, obj: T) -> None:
        decision = self.decide(user, obj).get(str(action), OUT_OF_SCOPE)
        if decision:
            return
        if not decision.in_scope:
            raise PermissionDenied(_("You do not have permission for this unit."))
        raise ValidationError(decision.reason or _("This step is not possible now."))

"""Which actions a user may take on a practice now: the detail page's buttons, the views, the API and the
services all ask PRACTICE, so nothing is offered and then refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, has_any
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import Practice, PracticeStatus

# "change" covers every edit of the practice and what hangs from it: indicators, results, commendations,
# photos, documents and evidence links.
CHANGE = "change"
# Another unit adopts it (a new practice there), or a practice another unit registered is linked to it.
REPLICATE = "replicate"
LINK_REPLICATION = "link_replication"


class PracticePolicy(ObjectPolicy[Practice]):
    def decide(self, user: Any, obj: Practice) -> Mapping[str, Decision]:
        path = obj.organisation.path
        can_see = allowed_on_path(user, Action.VIEW, path)
        stopped = refuse(_("“%(name)s” has stopped; it cannot be replicated.") % {"name": obj.name})
        spreads = stopped if obj.status == PracticeStatus.STOPPED else ALLOW
        return {
            CHANGE: ALLOW if allowed_on_path(user, Action.CHANGE, path) else OUT_OF_SCOPE,
            # The adopting unit is chosen on the form: any unit where the user may add a practice.
            REPLICATE: spreads if can_see and has_any(user, Action.ADD) else OUT_OF_SCOPE,
            LINK_REPLICATION: spreads if can_see and has_any(user, Action.CHANGE) else OUT_OF_SCOPE,
        }

    def check_on(self, user: Any, action: str, obj: Practice, *, field: str) -> None:
        """`check`, with a refusal for the practice's state named after the form or API field `field`."""
        decision = self.decide(user, obj)[action]
        if not decision.in_scope:
            raise PermissionDenied(_("You do not have permission for this unit."))
        if not decision:
            raise ValidationError({field: decision.reason})


PRACTICE = PracticePolicy()

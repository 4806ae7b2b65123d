"""What every write of the room shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path
from chithi.orgs.models import Organisation, Person


def require_on(user: Any, action: Action | str, org: Organisation) -> None:
    if not allowed_on_path(user, action, org.path):
        raise PermissionDenied(_("You do not have permission for this unit."))


def check_person_in(person: Person | None, unit: Organisation, field: str) -> None:
    """The person must belong (now or before) to the unit's subtree."""
    if person is None:
        return
    if not person.memberships.filter(organisation__path__startswith=unit.path).exists():
        raise ValidationError({field: _("%(name)s is not a member of %(unit)s.") % {
            "name": person.full_name, "unit": unit.name}})


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)

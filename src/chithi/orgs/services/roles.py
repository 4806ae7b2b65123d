"""Writes for users' roles on units (a role on a unit covers its whole subtree)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction, User
from chithi.core.permissions import Role, clear_scope_cache

from ..models import Organisation, RoleAssignment
from ..policy import ORGANISATION


@transaction.atomic
def assign_role(*, actor: Any, user: User, organisation: Organisation, role: str) -> RoleAssignment:
    ORGANISATION.check(actor, "assign_role", organisation, field="organisation")
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit.record(action=AuditAction.CREATE, obj=assignment, after=audit.snapshot(assignment), actor=actor)
    clear_scope_cache(user)
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment) -> None:
    ORGANISATION.check(actor, "manage_roles", assignment.organisation)
    audit.record(action=AuditAction.DELETE, obj=assignment, before=audit.snapshot(assignment), actor=actor)
    assignment.delete()
    clear_scope_cache(assignment.user)

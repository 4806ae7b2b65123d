"""Writes for evidence links: a practice offered as evidence for a record of another room (a plan task).
Only the kinds of record the rooms declare linkable (RoomConfig.linkable), and only records the actor sees."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.permissions import Action
from chithi.core.rooms import linkable_models
from chithi.core.writes import acting_user, require, save_new

from ..models import EvidenceLink, Practice
from ..policy import CHANGE, PRACTICE


@transaction.atomic
def link_evidence(*, actor: Any, practice: Practice, target: models.Model, note: str = "") -> EvidenceLink:
    """The actor must be able to change the practice and to see the target."""
    PRACTICE.check(actor, CHANGE, practice)
    if target._meta.label_lower not in linkable_models():
        raise ValidationError({"target": _("This kind of record cannot be linked as evidence.")})
    require(actor, Action.VIEW, target)
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    if EvidenceLink.objects.filter(practice=practice, target_type=content_type, target_id=target.pk).exists():
        raise ValidationError({"target": _("This practice is already linked to that record.")})
    link = EvidenceLink(practice=practice, target_type=content_type, target_id=target.pk, note=note.strip()[:500],
                        created_by=acting_user(actor))
    return save_new(link, actor=actor, note=str(practice), related=practice)


@transaction.atomic
def unlink_evidence(*, actor: Any, link: EvidenceLink) -> None:
    PRACTICE.check(actor, CHANGE, link.practice)
    audit.record(action=AuditAction.DELETE, obj=link, before=audit.snapshot(link), actor=actor,
                 related=link.practice)
    link.delete()

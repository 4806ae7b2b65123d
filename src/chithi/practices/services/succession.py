"""The restructuring hook (core.rooms successor_handler): practices of a merged or split unit carry on in
its successor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.orgs.models import Organisation

from ..models import Practice, PracticeStatus
from .lineage import refresh_reach
from .practices import name_keys


@transaction.atomic
def move_practices_to_successor(*, source: Organisation, successor: Organisation, effective_on: dt.date,
                                actor: Any) -> None:
    """Practices still running in a merged or split unit carry on in its successor. Stopped ones stay with the
    old unit, where their history belongs."""
    for practice in Practice.objects.filter(organisation=source).exclude(status=PracticeStatus.STOPPED):
        before = audit.snapshot(practice)
        name = practice.name
        if Practice.objects.filter(organisation=successor, name_key=practice.name_key).exists():
            # The successor already runs a practice of that name (often the same one): keep both readable.
            name = f"{name} ({source.short_name or source.name})"
        for column, value in name_keys(name).items():
            setattr(practice, column, value)
        practice.organisation = successor
        practice.save()
        refresh_reach(practice.lineage_path, include_self=True)
        # On the retired unit's history too: that is where someone looks for what became of its practices.
        audit.record(action=AuditAction.MOVE, obj=practice, before=before, after=audit.snapshot(practice),
                     actor=actor, note=_("moved from %(org)s") % {"org": source.name}, related=source)

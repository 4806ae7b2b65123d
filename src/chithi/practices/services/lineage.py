"""The `reach` counter along a replication tree, kept by every service that adds, moves or stops a practice."""

from __future__ import annotations

from ..models import Practice
from ..selectors import count_reach


def refresh_reach(lineage_path: str, *, include_self: bool = False) -> None:
    """Recount `reach` for the practices along a lineage path (the ancestors of what changed; the practice
    itself too with `include_self`): one count each over the indexed lineage prefix, so a write costs the
    depth of the tree, not its size."""
    pks = [int(segment) for segment in lineage_path.strip("/").split("/") if segment.isdigit()]
    if not include_self:
        pks = pks[:-1]
    for practice in Practice.objects.filter(pk__in=pks):
        value = count_reach(practice)
        if value != practice.reach:
            Practice.objects.filter(pk=practice.pk).update(reach=value)

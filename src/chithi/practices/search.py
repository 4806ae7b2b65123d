"""What the practices room contributes to the public search (core.rooms PublicSource): its public practices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from chithi.core.search import PublicDocument

from .selectors import public_practices


def public_documents(*, pks: Sequence[Any] | None = None) -> Iterator[PublicDocument]:
    """Every practice published on the showcase (replications too: each has its public page)."""
    practices = public_practices(include_replications=True)
    if pks is not None:
        practices = practices.filter(pk__in=list(pks))
    for practice in practices.iterator(chunk_size=2000):
        unit = practice.organisation.short_name or practice.organisation.name
        started = dt.datetime.combine(practice.started_on, dt.time(8), tzinfo=timezone.get_current_timezone())
        yield PublicDocument(
            kind="practices.practice", object_id=practice.pk, title=practice.name,
            body=f"{practice.description}\n{', '.join(practice.field_labels())}", url=practice.get_public_url(),
            published_at=min(started, practice.created_at), label=unit)

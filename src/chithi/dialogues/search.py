"""What the dialogues room contributes to the public search (core.rooms PublicSource): the answered issues the
transparency page shows, with the same redaction (never the reporter's name, contact or address)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from chithi.core.search import PublicDocument

from .public import redact
from .selectors import published_issues, ward_label


def public_documents(*, pks: Sequence[Any] | None = None) -> Iterator[PublicDocument]:
    """Answered issues whose reporters agreed to publication. A hit links to the answers page filtered on its
    category and ward: an issue's own page is reached by its tracking code, which is never published."""
    issues = published_issues().select_related("area_unit")
    if pks is not None:
        issues = issues.filter(pk__in=list(pks))
    answers = reverse("dialogues:transparency")
    for issue in issues.iterator(chunk_size=2000):
        ward = ward_label(issue.area_unit) if issue.area_unit else ""
        query = {"category": issue.category.code, **({"ward": issue.area_unit_id} if issue.area_unit_id else {})}
        yield PublicDocument(
            kind="dialogues.issue", object_id=issue.pk, title=issue.category.name,
            body="\n".join(part for part in (redact(issue.description, name=issue.reporter_name),
                                             redact(issue.answer, name=issue.reporter_name)) if part),
            url=f"{answers}?{urlencode(query)}", published_at=issue.answered_at,  # type: ignore[arg-type]
            label=ward)

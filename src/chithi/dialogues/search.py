"""What the dialogues room contributes to the public search (core.rooms PublicSource): the answered issues the
transparency page shows, with the same redaction (never the reporter's name, contact or address)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.search import Hit, PublicDocument, query_words, search, snippet

from .public import redact
from .selectors import issue_by_code, published_issues, visible_issues, ward_label


def public_documents(*, pks: Sequence[Any] | None = None) -> Iterator[PublicDocument]:
    """Answered issues whose reporters agreed to publication. A hit links to the answers page filtered on its
    category and ward: an issue's own page is reached by its tracking code, which is never published."""
    issues = published_issues().select_related("area_unit")
    if pks is not None:
        issues = issues.filter(pk__in=list(pks))
    answers = reverse("dialogues:transparency")
    # A whole rebuild streams (a server-side cursor); a save's few rows are read at once, without the cursor's
    # extra round trips on every citizen's submission.
    for issue in issues.iterator(chunk_size=2000) if pks is None else list(issues):
        ward = ward_label(issue.area_unit) if issue.area_unit else ""
        query = {"category": issue.category.code, **({"ward": issue.area_unit_id} if issue.area_unit_id else {})}
        yield PublicDocument(
            kind="dialogues.issue", object_id=issue.pk, title=issue.category.name,
            body="\n".join(part for part in (redact(issue.description, name=issue.reporter_name),
                                             redact(issue.answer, name=issue.reporter_name)) if part),
            url=f"{answers}?{urlencode(query)}", published_at=issue.answered_at,  # type: ignore[arg-type]
            label=ward)


def staff_search(*, user: Any, query: str, limit: int = 20) -> list[Hit]:
    """Issues the user may see, for the internal search box: the one a tracking code names (typed as printed,
    with its dash, in any case), else those whose words match."""
    found = issue_by_code(user=user, code=query)
    if found is not None:
        issues: list[Any] = [found]
    else:
        words, _cut = query_words(query, limit=12)
        if not words:
            return []
        issues = list(search(visible_issues(user), " ".join(words)).order_by("-received_at", "-id")[:limit])
    words = query_words(query)[0]
    return [Hit(kind=_("Issue"), title=f"{issue.display_code} — {issue.category.name}",
                url=issue.get_absolute_url(), snippet=snippet(issue.description, words),
                date=timezone.localtime(issue.received_at).date()) for issue in issues]

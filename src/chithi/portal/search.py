"""The one public search: the index of what the rooms publish (articles, practices, answered issues), kept in
step on every save, and the ranked query over it; plus this room's part of the internal search box.

Rooms declare what they publish (core.rooms PublicSource: a model and f(*, pks) -> documents). A save of such
a model reindexes that row when the transaction commits (after Wagtail's search signal handlers); writes that
skip signals (bulk updates, COPY) are caught up by `manage.py portal_reindex`.

Ranking: documents whose title holds every query word come first, then those that hold them anywhere; each
group newest first. "Holds a word" means a word of the text begins with it, with or without diacritics — a
GIN-indexed full-text prefix match on PostgreSQL, LIKE on SQLite, the same answer on both.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chithi.core.permissions import restrict
from chithi.core.rooms import PublicSource, public_sources
from chithi.core.search import Hit, PublicDocument, folded_words, highlight, query_words, search, snippet

from .models import Article, ArticleStatus
from .models import PublicDocument as IndexRow

PER_PAGE = 20
RESULT_CAP = 1000  # past this the page says "more than 1,000" and asks for more words
MAX_WORDS = 12

# --- this room's documents ------------------------------------------------------------------------


def article_documents(*, pks: Sequence[Any] | None = None) -> Iterator[PublicDocument]:
    """Published articles (a scheduled one too: the search hides it until its time)."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("category")
    if pks is not None:
        articles = articles.filter(pk__in=list(pks))
    for article in articles.iterator(chunk_size=2000):
        yield PublicDocument(
            kind="portal.article", object_id=article.pk, title=article.title,
            body=f"{article.summary}\n{article.body_text}", url=article.get_public_url(),
            published_at=article.published_at or article.updated_at,
            label=article.category.name)


def staff_search(*, user: Any, query: str, limit: int = 20) -> list[Hit]:
    """Articles the user may see, for the internal search box (core.rooms RoomConfig.search)."""
    words, _cut = query_words(query, limit=MAX_WORDS)
    if not words:
        return []
    articles = search(restrict(Article.objects.all(), user), " ".join(words)).order_by("-updated_at", "-id")
    return [Hit(kind=_("Article"), title=article.title, url=article.get_absolute_url(),
                snippet=snippet(article.summary, words), date=article.updated_at.date())
            for article in articles[:limit]]


# --- the index -------------------------------------------------------------------------------------

_FIELDS = ["title", "body", "title_words", "body_words", "url", "label", "published_at", "indexed_at"]


def _row(document: PublicDocument) -> IndexRow:
    return IndexRow(kind=document.kind, object_id=document.object_id, title=document.title[:300],
                    body=document.body[:20000], title_words=folded_words(document.title),
                    body_words=folded_words(document.body[:20000]), url=document.url[:500],
                    label=document.label[:200], published_at=document.published_at)


def store(kind: str, documents: Iterable[PublicDocument], *, pks: Sequence[Any] | None = None) -> int:
    """Write `documents` into the index; with `pks`, rows of those objects that yielded nothing leave it."""
    rows = [_row(document) for document in documents]
    if rows:
        IndexRow.objects.bulk_create(rows, update_conflicts=True, unique_fields=["kind", "object_id"],
                                     update_fields=_FIELDS, batch_size=1000)
    if pks is not None:
        kept = {row.object_id for row in rows}
        gone = [pk for pk in pks if pk not in kept]
        if gone:
            IndexRow.objects.filter(kind=kind, object_id__in=gone).delete()
    return len(rows)


def reindex(source: PublicSource, documents: Any, pks: Sequence[Any]) -> None:
    store(source.model, documents(pks=pks), pks=pks)


def rebuild(*, batch: int = 5000) -> dict[str, int]:
    """Index everything the rooms publish, and drop what they no longer publish. Returns counts per kind."""
    counts: dict[str, int] = {}
    for source, documents in public_sources():
        started = timezone.now()
        pending: list[PublicDocument] = []
        total = 0
        for document in documents(pks=None):
            pending.append(document)
            if len(pending) >= batch:
                total += store(source.model, pending)
                pending = []
        total += store(source.model, pending)
        # Rows not rewritten by this run belong to objects that are no longer public.
        IndexRow.objects.filter(kind=source.model).exclude(
            pk__in=_touched_since(source.model, started)).delete()
        counts[source.model] = total
    return counts


def _touched_since(kind: str, started: Any) -> models.QuerySet[IndexRow]:
    return IndexRow.objects.filter(kind=kind, indexed_at__gte=started).values("pk")  # type: ignore[return-value]


def _on_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    label = sender._meta.label_lower
    for source, documents in public_sources():
        if source.model == label:
            transaction.on_commit(functools.partial(reindex, source, documents, [instance.pk]), robust=True)


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    label, pk = sender._meta.label_lower, instance.pk
    transaction.on_commit(lambda: IndexRow.objects.filter(kind=label, object_id=pk).delete(), robust=True)


def connect_index() -> None:
    """Keep the index in step with every declared model (called from the room's ready())."""
    for room_source in {source.model for room in _rooms() for source in room.public_search}:
        model = apps.get_model(room_source)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"portal-index-save-{room_source}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"portal-index-delete-{room_source}")


def _rooms() -> list[Any]:
    from chithi.core.rooms import rooms

    return rooms()


# --- the query -------------------------------------------------------------------------------------


KINDS = {"portal.article": gettext_lazy("News"), "practices.practice": gettext_lazy("Good practice"),
         "dialogues.issue": gettext_lazy("Answered issue")}


@dataclass
class Result:
    kind: str
    label: str
    url: str
    published_at: Any
    title: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    query: str
    words: list[str]
    shortened: bool  # the query had more words than are searched
    results: list[Result] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more than RESULT_CAP matched
    number: int = 1
    pages: int = 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _tsquery(words: list[str]) -> str:
    # Words are [0-9a-z]+ (core.search.folded_words), so nothing in them is tsquery syntax.
    return " & ".join(f"{word}:*" for word in words)


def _matching(words: list[str], column: str) -> models.Q:
    """Rows where every word begins a word of `column` ("title" or "all")."""
    if connection.vendor == "postgresql":
        # Stored, GIN-indexed vectors of the folded words (migration 0003), never computed per row.
        vector = "title_tsv" if column == "title" else "all_tsv"
        return models.Q(RawSQL(  # noqa: S611 (`vector` is one of two constants; the words are a parameter)
            f"{vector} @@ to_tsquery('simple'::regconfig, %s)",
            [_tsquery(words)], output_field=models.BooleanField()))
    columns = ["title_words"] if column == "title" else ["title_words", "body_words"]
    condition = models.Q()
    for word in words:
        either = models.Q()
        for name in columns:
            either |= models.Q(**{f"{name}__startswith": word}) | models.Q(**{f"{name}__contains": f" {word}"})
        condition &= either
    return condition


def public_search(query: str, *, page: int = 1) -> SearchPage:
    """One page of results for `query` (at most RESULT_CAP results are ranked)."""
    words, shortened = query_words(query, limit=MAX_WORDS)
    result = SearchPage(query=query, words=words, shortened=shortened)
    if not words:
        return result
    live = IndexRow.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-id")
    title_match = _matching(words, "title")
    in_title = live.filter(title_match)
    body_only = live.filter(_matching(words, "all")).exclude(title_match)
    title_count = min(in_title[:RESULT_CAP + 1].count(), RESULT_CAP + 1)
    total = title_count + body_only[:RESULT_CAP + 1].count()
    result.capped = total > RESULT_CAP
    result.total = min(total, RESULT_CAP)
    result.pages = math.ceil(result.total / PER_PAGE)
    result.number = min(max(1, page), max(1, result.pages))
    start = (result.number - 1) * PER_PAGE
    rows: list[IndexRow] = []
    if start < title_count:
        rows = list(in_title[start:start + PER_PAGE])
    if len(rows) < PER_PAGE and result.total > start + len(rows):
        offset = max(0, start - title_count)
        rows += list(body_only[offset:offset + PER_PAGE - len(rows)])
    result.results = [Result(kind=str(KINDS.get(row.kind, "")), label=row.label, url=row.url,
                             published_at=row.published_at, title=highlight(row.title, words),
                             snippet=snippet(row.body, words)) for row in rows]
    return result

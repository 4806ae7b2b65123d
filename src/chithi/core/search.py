"""Search: one folded `search_text` column per searchable model, built from the model's declaration, and
one search function over it (after Wagtail's `search_fields`).

A searchable model inherits `SearchIndexed` and lists what feeds its column:

    class Practice(SearchIndexed, TimeStampedModel):
        search_fields = ("name", "description", "organisation__name", "field_labels")

Each entry is a field, a property or a method of the model, or a path through foreign keys
("organisation__name"). `save()` rebuilds the column; `index()` does it for rows written with
bulk_create. When a field a declaration reads through a relation changes (a unit is renamed), the
rows that read it are rebuilt too (`refresh_dependents`, wired to post_save in core.checks' ready).
`core.checks` fails start-up when a model with a `search_text` column declares nothing, or names a
field that does not exist.

On PostgreSQL the column has a pg_trgm GIN index so `LIKE '%token%'` is indexed; on SQLite the
column is scanned, which is fast at the size of one city (see docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import apps
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import fold, search_tokens

SEARCH_COLUMN = "search_text"


def _value(obj: Any, lookup: str) -> Any:
    value = obj
    for part in lookup.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


def search_text_of(obj: models.Model) -> str:
    """The folded text of every declared field, in declaration order."""
    parts: list[str] = []
    for lookup in type(obj).search_fields:  # type: ignore[attr-defined]
        value = _value(obj, lookup)
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple | set):
            parts.extend(str(v) for v in value if v)
        else:
            parts.append(str(value))
    return fold(" ".join(parts))


def index[M: models.Model](obj: M) -> M:
    """Fill the search column in place (for rows written with bulk_create, which skips save())."""
    setattr(obj, SEARCH_COLUMN, search_text_of(obj))
    return obj


class SearchIndexed(models.Model):
    """Mixin for a model with a `search_text` column: the column follows `search_fields` on every save."""

    search_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        index(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, SEARCH_COLUMN}
        super().save(*args, **kwargs)


def searchable_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, SearchIndexed)]


@functools.cache
def dependents() -> dict[type[models.Model], list[tuple[type[models.Model], str, str]]]:
    """{related model: [(searchable model, relation path, field read on the related model)]}."""
    found: dict[type[models.Model], list[tuple[type[models.Model], str, str]]] = {}
    for model in searchable_models():
        for lookup in model.search_fields:  # type: ignore[attr-defined]
            parts = lookup.split("__")
            if len(parts) < 2:
                continue
            related: Any = model
            for part in parts[:-1]:
                related = related._meta.get_field(part).related_model
            found.setdefault(related, []).append((model, "__".join(parts[:-1]), parts[-1]))
    return found


def refresh_dependents(instance: models.Model, changed: Iterable[str] | None = None) -> int:
    """Rebuild the search column of rows whose declaration reads `instance` through a relation.

    `changed`: the fields that were written (None: any). Returns how many rows changed.
    """
    changed_set = None if changed is None else set(changed)
    count = 0
    for model, path, field in dependents().get(type(instance), []):
        if changed_set is not None and field not in changed_set:
            continue
        batch: list[models.Model] = []
        rows = model._default_manager.filter(**{path: instance}).select_related(path)  # type: ignore[attr-defined]
        for row in rows.iterator(chunk_size=2000):
            text = search_text_of(row)
            if getattr(row, SEARCH_COLUMN) != text:
                setattr(row, SEARCH_COLUMN, text)
                batch.append(row)
            if len(batch) >= 2000:
                count += model._default_manager.bulk_update(batch, [SEARCH_COLUMN])  # type: ignore[attr-defined]
                batch = []
        if batch:
            count += model._default_manager.bulk_update(batch, [SEARCH_COLUMN])  # type: ignore[attr-defined]
    return count


def _refresh_on_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False,
                     update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    if created or raw:
        return  # a new row has no dependents yet; fixtures load rows as they are
    refresh_dependents(instance, update_fields)


def connect_dependents() -> None:
    """Rebuild dependents when a row they read is saved (called once from core's ready())."""
    from django.db.models.signals import post_save

    for related in dependents():
        post_save.connect(_refresh_on_save, sender=related, dispatch_uid=f"search-dependents-{related._meta.label}")


def search[Q: models.QuerySet[Any]](queryset: Q, query: str | None, *, field: str = SEARCH_COLUMN) -> Q:
    """Every word of the query must begin a word of the text, with or without diacritics, in any case.

    Word starts rather than substrings: "dong ha" finds "Đông Hà" but not "Đông Thanh".
    """
    for token in search_tokens(query):
        queryset = queryset.filter(
            models.Q(**{f"{field}__startswith": token}) | models.Q(**{f"{field}__contains": f" {token}"})
        )
    return queryset


def trigram_index_sql(table: str, column: str = SEARCH_COLUMN) -> tuple[str, str]:
    """SQL for a migration: (create, drop) a trigram index; applied only on PostgreSQL."""
    name = f"{table}_{column}_trgm"
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )


def trigram_index_operation(table: str, column: str = SEARCH_COLUMN) -> object:
    """A migration operation adding the trigram index on PostgreSQL and doing nothing elsewhere."""
    from django.db import migrations

    create, drop = trigram_index_sql(table, column)

    def forwards(apps: object, schema_editor: object) -> None:
        if schema_editor.connection.vendor == "postgresql":  # type: ignore[attr-defined]
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # type: ignore[attr-defined]
            schema_editor.execute(create)  # type: ignore[attr-defined]

    def backwards(apps: object, schema_editor: object) -> None:
        if schema_editor.connection.vendor == "postgresql":  # type: ignore[attr-defined]
            schema_editor.execute(drop)  # type: ignore[attr-defined]

    return migrations.RunPython(forwards, backwards, elidable=False)


# --- what rooms contribute to the public and the internal search, and how matches are shown -------


@dataclass(frozen=True)
class PublicDocument:
    """One thing a visitor can find with the public search (core.rooms.PublicSource yields these).

    Only public text: a room passes its text through its own redaction before it becomes a document.
    """

    kind: str  # the source model's label ("portal.article"): unique together with object_id
    object_id: int
    title: str
    body: str  # plain text; the snippet under the title is cut from it
    url: str
    published_at: dt.datetime  # "recent before old"; a future time stays hidden until it passes
    label: str = ""  # where it is from (a category, a unit, a ward), shown above the title


@dataclass(frozen=True)
class Hit:
    """One result of the internal search box (core.rooms RoomConfig.search)."""

    kind: str  # shown as the result's type ("Tin bài", "Đơn vị"…)
    title: str
    url: str
    snippet: str = ""
    date: dt.date | None = None


_WORD = re.compile(r"[0-9a-z]+")


def folded_words(text: str | None) -> str:
    """The folded words of a text, letters and digits only, one space apart ("Đông Hà (2025)" → "dong ha 2025")."""
    return " ".join(_WORD.findall(fold(text)))


def query_words(query: str | None, *, limit: int = 12) -> tuple[list[str], bool]:
    """The folded words of a search query (letters and digits only) and whether it was cut to `limit` words.

    A visitor may paste a whole page into the box: the first words are searched and the page says so.
    """
    words = list(dict.fromkeys(folded_words((query or "")[:2000]).split()))
    return words[:limit], len(words) > limit


def _folded_map(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character, with the index in `text` of each folded character."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for out in fold(char) if not char.isspace() else " ":
            folded.append(out)
            origin.append(index)
    return "".join(folded), origin


def _match_ranges(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) ranges of `text` where a word of the query begins a word, diacritics ignored."""
    folded, origin = _folded_map(text)
    ranges: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            if start == 0 or not folded[start - 1].isalnum():
                end = start + len(word) - 1
                ranges.append((origin[start], origin[end] + 1))
            start = folded.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """`text`, escaped, with each match of the query's words in <mark>."""
    out: list[str] = []
    last = 0
    for start, end in _match_ranges(text, words):
        out += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece of text above is escaped)


def snippet(text: str, words: Iterable[str], *, width: int = 220) -> SafeString:
    """About `width` characters of `text` around its first match, highlighted (the start when none matches)."""
    words = list(words)
    ranges = _match_ranges(text, words)
    start = max(0, ranges[0][0] - width // 3) if ranges else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    piece = highlight(text[start:end], words)
    return mark_safe(("… " if start else "") + piece + (" …" if end < len(text) else ""))  # noqa: S308

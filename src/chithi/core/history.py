"""History people can read: an object's history page and the audit log (/nhat-ky/) show each change as a person
would say it — the field's verbose name, a related object by name with a link (when the reader may open it), a
choice by its label, dates as dd/mm/yyyy HH:MM in local time, "Hệ thống" for the system, notes translated.

The caller of `history_page` has already fetched the object through restrict(), so reaching it means the user may
see the object; related objects named in the changes go through restrict() too."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop

from .models import AuditEntry, User
from .pagination import paginate, query_without_page
from .permissions import read_action

# Notes some services write in English (the worker and the citizens' side run without a request language): they
# are msgids, translated when shown. Listed here so makemessages keeps them in core's catalogue.
SYSTEM_NOTES = (
    gettext_noop("closed after the reopening window"), gettext_noop("reopened by the citizen"),
    gettext_noop("rated by the citizen"), gettext_noop("escalated: overdue"), gettext_noop("new key"),
    gettext_noop("API token"),
)
SYSTEM_USER_NAMES = {"", "system"}


@dataclass
class Shown:
    """One value as shown: text, and a link when it names an object the reader may open."""

    text: str
    url: str = ""


@dataclass
class Change:
    label: str
    before: Shown
    after: Shown


@dataclass
class ReadableEntry:
    entry: AuditEntry
    when: str
    actor: str
    action: str
    note: str
    object_text: str
    object_url: str
    changes: list[Change] = field(default_factory=list)


def object_history(*, obj: Any) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_object(obj).select_related("user", "content_type")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _local(value: str) -> str:
    """An ISO date or date-time from a snapshot as dd/mm/yyyy (HH:MM in local time); other text unchanged."""
    try:
        if ISO_DATE.match(value):
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        if not ISO_DATETIME.match(value):
            return value
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")


def _fields_of(model: type[models.Model] | None) -> dict[str, models.Field[Any, Any]]:
    if model is None:
        return {}
    return {**{f.name: f for f in model._meta.many_to_many},  # type: ignore[misc]
            **{f.attname: f for f in model._meta.concrete_fields}}  # type: ignore[misc]


def _named(model_field: models.Field[Any, Any]) -> bool:
    """Whether the model gave the field a name of its own (Django's default is the attribute with spaces)."""
    return str(model_field.verbose_name) != model_field.name.replace("_", " ")


def _internal(model_field: models.Field[Any, Any] | None) -> bool:
    """Bookkeeping a person never typed and cannot read (a tree path, its depth, a folded search key): not
    editable and never given a name. A tester found "Lineage path: 0000000060/ → …" in the change log."""
    return model_field is not None and not model_field.editable and not _named(model_field)


# Names for fields the models left unnamed, and for keys a service records that are no field ("items"): the change
# log showed "Created by", "Written by" and "Items" in English.
COMMON_LABELS = {
    "created_by": _lazy("created by"), "written_by": _lazy("written by"), "uploaded_by": _lazy("uploaded by"),
    "author": _lazy("author"), "position": _lazy("order"), "items": _lazy("items"), "email": _lazy("e-mail"),
    "content_type": _lazy("file type"), "size": _lazy("file size"), "url": _lazy("link"),
}


class _Targets:
    """Objects named in entries (the entries' own objects, related objects in changes), fetched once per model
    through restrict() so only what the reader may open gets a link — and a name when it has no other."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.wanted: dict[type[models.Model], set[str]] = {}
        self.found: dict[tuple[type[models.Model], str], models.Model] = {}

    def want(self, model: type[models.Model] | None, pk: Any) -> None:
        if model is not None and pk not in (None, ""):
            self.wanted.setdefault(model, set()).add(str(pk))

    def load(self) -> None:
        for model, keys in self.wanted.items():
            queryset = model._default_manager.all()
            if model is User:
                # Who did something is already on every row (the actor): a user named in a change is shown by
                # name too, without a link (people have their own pages, users do not).
                self.found.update({(model, str(u.pk)): u for u in queryset.filter(pk__in=list(keys))})
                continue
            if not hasattr(queryset, "restrict"):
                continue  # a kind without a scope is named by its id only: better hidden than leaked
            try:
                rows = list(queryset.restrict(self.user, read_action(model)).filter(pk__in=list(keys)))
            except (ValueError, TypeError):
                continue
            for obj in rows:
                self.found[(model, str(obj.pk))] = obj

    def get(self, model: type[models.Model] | None, pk: Any) -> models.Model | None:
        if model is None:
            return None
        return self.found.get((model, str(pk)))


def _url(obj: models.Model | None) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        return str(getter())
    except NoReverseMatch:  # a page that cannot be reversed is shown without a link
        return ""


def _show(value: Any, model_field: models.Field[Any, Any] | None, targets: _Targets) -> Shown:
    if value is None or value == "" or value == []:
        return Shown("—")
    if model_field is not None and model_field.many_to_many and isinstance(value, list):  # people, units in charge
        named = [targets.get(model_field.related_model, v) for v in value]  # type: ignore[arg-type]
        return Shown(", ".join(str(o) if o is not None else str(_("(not shown)")) for o in named))
    if model_field is not None and model_field.is_relation and model_field.related_model is not None:
        related = targets.get(model_field.related_model, value)  # type: ignore[arg-type]
        if isinstance(related, User):
            return Shown(related.get_full_name() or related.get_username())
        # Out of the reader's scope (or since deleted): not named, and not a bare "#5" either.
        return Shown(str(related), _url(related)) if related is not None else Shown(_("(not shown)"))
    if model_field is not None and model_field.choices:
        labels = {str(k): v for k, v in model_field.flatchoices}
        if str(value) in labels:
            return Shown(str(labels[str(value)]))
    if isinstance(value, bool):
        return Shown(_("yes") if value else _("no"))
    if isinstance(value, dict):  # a report's sections: "I: …; II: …", not Python's {'I': '', …}
        parts = [f"{key}: {_show(part, None, targets).text}" for key, part in value.items()
                 if part not in (None, "", [], {})]
        return Shown("; ".join(parts) if parts else "—")
    if isinstance(value, list):
        return Shown("; ".join(" · ".join(_local(str(x)) for x in v) if isinstance(v, list) else _local(str(v))
                               for v in value))
    if isinstance(value, str):
        return Shown(_local(value))
    return Shown(str(value))


def _label(key: str, model_field: models.Field[Any, Any] | None) -> str:
    if model_field is not None and (_named(model_field) or key not in COMMON_LABELS):
        if not _named(model_field) and model_field.is_relation and model_field.related_model is not None:
            return capfirst(str(model_field.related_model._meta.verbose_name))  # "Meeting" → "Buổi sinh hoạt"
        return capfirst(str(model_field.verbose_name))
    if key in COMMON_LABELS:
        return capfirst(str(COMMON_LABELS[key]))
    try:
        return capfirst(str(getattr(AuditEntry._meta.get_field(key), "verbose_name", key)))
    except FieldDoesNotExist:
        return key.replace("_", " ").capitalize()


def actor_name(entry: AuditEntry) -> str:
    """Who made a change, as people are named everywhere: the account's full name ("Quản trị hệ thống", not
    "sysadmin"), "Hệ thống" for the system, the name recorded then for an account since deleted."""
    actor = entry.user.get_full_name() or entry.user.get_username() if entry.user else ""
    return actor or (_("System") if entry.user_name in SYSTEM_USER_NAMES else entry.user_name)


def readable(entries: list[AuditEntry], *, user: Any, link_objects: bool = True) -> list[ReadableEntry]:
    """The entries as people read them; one query per kind of object named, whatever the number of entries.
    `link_objects`: link each entry to its own object (the audit log; an object's history page is that object's)."""
    targets = _Targets(user)
    models_of: dict[int, type[models.Model] | None] = {}
    for entry in entries:
        ctype: ContentType = entry.content_type
        model = models_of.setdefault(ctype.pk, ctype.model_class())
        if link_objects:
            targets.want(model, entry.object_id)
        fields = _fields_of(model)
        for key, before, after in entry.changes():
            model_field = fields.get(key)
            if model_field is not None and model_field.is_relation:
                for value in (before, after):
                    for pk in value if isinstance(value, list) else [value]:
                        targets.want(model_field.related_model, pk)  # type: ignore[arg-type]
    targets.load()
    result = []
    for entry in entries:
        model = models_of[entry.content_type.pk]
        fields = _fields_of(model)
        obj = targets.get(model, entry.object_id)
        changes = [Change(_label(key, fields.get(key)), _show(before, fields.get(key), targets),
                          _show(after, fields.get(key), targets))
                   for key, before, after in entry.changes() if key != "id" and not _internal(fields.get(key))]
        result.append(ReadableEntry(
            entry=entry, when=timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M"), actor=actor_name(entry),
            action=entry.get_action_display(), note=_(entry.note) if entry.note else "",
            object_text=entry.object_repr,  # as it was named then, and no query per row
            object_url=_url(obj), changes=changes))
    return result


def history_page(request: HttpRequest, obj: Any, *, back_url: str | None = None) -> HttpResponse:
    page = paginate(request, object_history(obj=obj))
    return render(request, "core/object_history.html", {
        "object": obj, "page": page, "entries": readable(list(page), user=request.user, link_objects=False),
        "back_url": back_url if back_url is not None else obj.get_absolute_url(),
        "query": query_without_page(request)})


@dataclass
class ChangeRun:
    """Consecutive changes of the same kind by the same person to one object, shown as one line."""

    entry: AuditEntry  # the latest of the run
    count: int = 1

    @property
    def actor(self) -> str:
        return actor_name(self.entry)


def recent_changes(user: Any, *, runs: int = 10, scan: int = 60) -> list[ChangeRun]:
    """The latest changes `user` may see for the home page. A report saved five times in a row is one line with
    its count, so the list names ten different things; one query over the last `scan` rows."""
    from .permissions import restrict

    found: list[ChangeRun] = []
    for entry in restrict(AuditEntry.objects.select_related("user"), user)[:scan]:
        last = found[-1].entry if found else None
        if last is not None and (last.content_type_id, last.object_id, last.action, last.user_name) == (
                entry.content_type_id, entry.object_id, entry.action, entry.user_name):
            found[-1].count += 1
        elif len(found) == runs:
            break
        else:
            found.append(ChangeRun(entry))
    return found

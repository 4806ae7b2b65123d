"""System checks that fail start-up (`manage.py check`, runserver, tests) when a room breaks a shared rule:
a scoped model that does not say where its organisation path is, a searchable model that does not say what
feeds its search column, or a room declaration that names something that does not exist."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from .permissions import RestrictedQuerySet
from .rooms import rooms, seed_order
from .search import SEARCH_COLUMN, SearchIndexed


def _is_scoped(model: type[Any]) -> bool:
    manager = model._default_manager
    return isinstance(manager.get_queryset(), RestrictedQuerySet)


@checks.register()
def check_scope_declared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return scope_errors(apps.get_models())


def scope_errors(models: Iterable[type[Any]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in models:
        if not _is_scoped(model):
            continue
        if getattr(model, "scope_q", None) is None and not getattr(model, "scope_path_field", None):
            errors.append(checks.Error(
                f"{model._meta.label} has a RestrictedQuerySet but declares neither scope_path_field nor scope_q.",
                hint="Say where the object's organisation path is, e.g. scope_path_field = 'organisation__path'.",
                obj=model, id="chithi.E001"))
        field = getattr(model, "scope_path_field", None)
        if field and getattr(model, "scope_q", None) is None:
            try:
                _resolve_lookup(model, field)
            except (FieldDoesNotExist, AttributeError):
                errors.append(checks.Error(
                    f"{model._meta.label}.scope_path_field names {field!r}, which does not exist.",
                    obj=model, id="chithi.E002"))
    return errors


def _resolve_lookup(model: type[Any], lookup: str) -> None:
    """Raise if a `a__b__c` path is not foreign keys ending in a field, property or method."""
    current: Any = model
    parts = lookup.split("__")
    for part in parts[:-1]:
        field = current._meta.get_field(part)
        if field.related_model is None:
            raise FieldDoesNotExist(part)
        current = field.related_model
    last = parts[-1]
    try:
        current._meta.get_field(last)
    except FieldDoesNotExist:
        if not hasattr(current, last):
            raise


@checks.register()
def check_search_declared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return search_errors(apps.get_models())


def search_errors(models: Iterable[type[Any]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in models:
        try:
            model._meta.get_field(SEARCH_COLUMN)
        except FieldDoesNotExist:
            continue
        if not issubclass(model, SearchIndexed) or not model.search_fields:
            errors.append(checks.Error(
                f"{model._meta.label} has a {SEARCH_COLUMN} column but does not declare what feeds it.",
                hint="Inherit core.search.SearchIndexed and list the fields in search_fields.",
                obj=model, id="chithi.E003"))
            continue
        for lookup in model.search_fields:
            try:
                _resolve_lookup(model, lookup)
            except (FieldDoesNotExist, AttributeError):
                errors.append(checks.Error(
                    f"{model._meta.label}.search_fields names {lookup!r}, which does not exist.",
                    obj=model, id="chithi.E004"))
    return errors


@checks.register()
def check_rooms(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for room in rooms():
        names = [spec.context for spec in room.panels] + [seed.func for seed in room.seeds]
        names += [route.viewset for route in room.api_routes]
        names += [source.documents for source in room.public_search]
        names += [name for name in (room.successor_handler, room.search) if name]
        for dotted in names:
            try:
                room.resolve(dotted)
            except ImportError as exc:
                errors.append(checks.Error(f"Room {room.label} names {dotted!r}, which cannot be imported: {exc}",
                                           obj=room, id="chithi.E005"))
        for label in [*room.linkable, *(source.model for source in room.public_search)]:
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                errors.append(checks.Error(f"Room {room.label} names the model {label!r}, which does not exist.",
                                           obj=room, id="chithi.E006"))
    try:
        seed_order()
    except (ValueError, ImportError) as exc:
        errors.append(checks.Error(str(exc), id="chithi.E007"))
    return errors

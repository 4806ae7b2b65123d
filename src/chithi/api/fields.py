"""The one related field of the API: an object by id, looked up only among what the caller may act on."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from chithi.core.permissions import Action, restrict


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """Like PrimaryKeyRelatedField, but the queryset is cut to the request user's scope for `action`, so an id
    outside the scope answers exactly like an id that does not exist (same message, no name shown).

    Choose `action` by what the write does with the object, not by what the caller may read: a field that gives
    work to people or units, or puts something into a unit, is ADD. With VIEW, an id the caller can only read
    passes this field and reaches the service, whose refusal ("X is not in Y") names it (issue 9: a cell's
    secretary who reads the whole city got 332 names back from one POST)."""

    def __init__(self, *, action: Action | str = Action.VIEW, **kwargs: Any) -> None:
        self.scope_action = action
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        assert queryset is not None, "a writable ScopedRelatedField needs a queryset"
        request = self.context.get("request")
        return restrict(queryset, getattr(request, "user", None), self.scope_action)

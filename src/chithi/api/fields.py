"""The API's own fields: an object by id, looked up only among what the caller may act on, and a date or a day
and time within the years a record can have."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers

from chithi.core.inputs import check_plausible
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


class _Plausible:
    """The forms' rule for dates (core.inputs.check_plausible), so the API cannot store what the pages refuse: once
    the forms refused a meeting on 01/01/3000 and a directive issued in 1800, the API still took both.
    `past=True` for what has already happened (issued, established, born, concluded, awarded), as on the form."""

    def __init__(self, *, past: bool = False, **kwargs: Any) -> None:
        self.past = past
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)  # type: ignore[misc]
        try:
            check_plausible(value, label=self.label, past=self.past)  # type: ignore[attr-defined]
        except DjangoValidationError as exc:  # the same message as the form, in the caller's language
            raise serializers.ValidationError(exc.messages, code="implausible") from exc
        return value


class PlausibleDate(_Plausible, serializers.DateField):
    """A date between 01/01/1900 and ten years ahead (today with `past=True`)."""

    def to_internal_value(self, data: Any) -> dt.date:
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class PlausibleDateTime(_Plausible, serializers.DateTimeField):
    """A day and time whose day (here) lies between 01/01/1900 and ten years ahead (today with `past=True`)."""

    def to_internal_value(self, data: Any) -> dt.datetime:
        return super().to_internal_value(data)  # type: ignore[no-any-return]

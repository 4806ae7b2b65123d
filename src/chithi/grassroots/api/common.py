"""What the room's API shares: the write pattern (a serializer validates shapes, a service writes) and a
one-button action that runs a service on the object and answers with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action, restrict


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """List and retrieve, scoped; subclasses add writes that call services."""

    def respond(self, request: Request, service: Callable[..., Any], body: type[serializers.Serializer[Any]] | None,
                **kwargs: Any) -> Response:
        """Run `service(actor=user, <object>, **validated body)` on the URL's object and answer with the object."""
        instance = self.get_object()
        data: dict[str, Any] = {}
        if body is not None:
            checker = body(data=request.data, context=self.get_serializer_context())
            checker.is_valid(raise_exception=True)
            data = dict(checker.validated_data)
        result = service(actor=request.user, **{**kwargs, **data}, **{self.object_name: instance})
        shown = result if isinstance(result, type(instance)) else self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(shown).data)

    object_name = "object"


class ScopedOrOwnField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """Like ScopedRelatedField, plus what belongs to the caller themselves (their person, their cells), so a
    member writes their own commitment; anything else reads like an id that does not exist."""

    def __init__(self, *, own: Callable[[Any], QuerySet[Any]], action: Action | str = Action.VIEW,
                 **kwargs: Any) -> None:
        self.own, self.scope_action = own, action
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        assert queryset is not None
        user = self.context["request"].user
        return queryset.filter(Q(pk__in=restrict(queryset, user, self.scope_action).values("pk"))
                               | Q(pk__in=self.own(user).values("pk")))


class MeetingReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=500)

"""API of members' standing, commitments and self-reflections (a member reaches their own, the cell's scope
reaches its members')."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.core.permissions import Action
from chithi.orgs.models import Organisation, Person

from .. import services
from ..filters import CommitmentFilterSet
from ..models import Commitment, CommitmentGrade, CommitmentItem, Meeting, PartyStanding, Reflection
from ..selectors.members import own_cells, visible_commitments
from .common import ReadViewSet, ScopedOrOwnField


class StandingSerializer(ModelSerializer):
    person = ScopedRelatedField(queryset=Person.objects.all(), action=Action.CHANGE)

    class Meta:
        model = PartyStanding
        fields = ["id", "person", "official_on", "exempt_from", "exempt_until", "exempt_reason"]
        validators: list[Any] = []  # a second POST for a person updates the standing


class StandingViewSet(mixins.CreateModelMixin, ReadViewSet):
    """POST sets a member's standing (creating or updating it)."""

    base_queryset = PartyStanding.objects.select_related("person").order_by("person__sort_key")
    serializer_class = StandingSerializer
    filterset_fields = ["person"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.set_standing(actor=self.request.user, person=data.pop("person"), **data)


class CommitmentRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A commitment the caller may see: of the cells in scope, or their own."""

    def get_queryset(self) -> QuerySet[Commitment]:
        return visible_commitments(self.context["request"].user)


class ItemSerializer(ModelSerializer):
    class Meta:
        model = CommitmentItem
        fields = ["text", "due_on"]


class CommitmentSerializer(ModelSerializer):
    person = ScopedOrOwnField(queryset=Person.objects.all(), own=lambda user: Person.objects.filter(
        pk=user.person_id))
    organisation = ScopedOrOwnField(queryset=Organisation.objects.all(), own=own_cells, action=Action.CHANGE)
    items = ItemSerializer(many=True)

    class Meta:
        model = Commitment
        fields = ["id", "person", "organisation", "year", "items", "review_grade", "review_note", "reviewed_on",
                  "review_meeting"]
        read_only_fields = ["review_grade", "review_note", "reviewed_on", "review_meeting"]
        validators: list[Any] = []  # writing a year again rewrites it (the service decides)


class CommitmentReviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    grade = serializers.ChoiceField(choices=CommitmentGrade.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    meeting = ScopedRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True)


class CommitmentViewSet(mixins.CreateModelMixin, ReadViewSet):
    """POST writes a member's commitment for a year (the member's own, or as the cell's secretary); the person and
    the cell are checked by the commitment policy, so another cell's member reads like an unknown id."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet
    object_name = "commitment"

    def get_queryset(self) -> QuerySet[Commitment]:
        return visible_commitments(self.request.user).prefetch_related("items").order_by("-year", "id")

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.save_commitment(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=CommitmentReviewSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        """The cell's year-end review."""
        return self.respond(request, services.review_commitment, CommitmentReviewSerializer)


class ReflectionSerializer(ModelSerializer):
    commitment = CommitmentRelatedField()

    class Meta:
        model = Reflection
        fields = ["id", "commitment", "quarter", "text", "assessment", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []  # writing a quarter again replaces it


class ReflectionViewSet(mixins.CreateModelMixin, ReadViewSet):
    serializer_class = ReflectionSerializer
    filterset_fields = ["commitment", "quarter"]

    def get_queryset(self) -> QuerySet[Reflection]:
        return Reflection.objects.filter(commitment__in=visible_commitments(self.request.user)).order_by(
            "commitment", "quarter")

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.write_reflection(actor=self.request.user, **serializer.validated_data)

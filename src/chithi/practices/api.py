"""API for practices, indicators, results, replications and commendations (scoped like the pages), and a
read-only public API of public practices that carries nothing internal and nothing personal."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from chithi.api.fields import ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action
from chithi.orgs.models import Organisation, Person

from . import selectors, services
from .filters import EvidenceFilterSet, PracticeFilterSet, PublicPracticeFilterSet, ResultFilterSet
from .models import Commendation, EvidenceLink, Indicator, Practice, PracticeField, Replication, Result


class PracticeSerializer(ModelSerializer):
    fields = serializers.ListField(child=serializers.ChoiceField(choices=PracticeField.choices),  # type: ignore[assignment]
                                   source="field_list", allow_empty=False)
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    origin = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = ["id", "name", "organisation", "organisation_name", "fields", "description", "started_on", "status",
                  "is_public", "public_names", "lineage_depth", "origin", "reach"]
        read_only_fields = ["lineage_depth", "reach"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_origin(self, practice: Practice) -> int | None:
        replication = getattr(practice, "replicated_from", None) if practice.lineage_depth else None
        return replication.origin_id if replication is not None else None

    def validate_organisation(self, value: Organisation) -> Organisation:
        if self.instance is not None and value.pk != cast(Practice, self.instance).organisation_id:
            raise serializers.ValidationError(_("The owning unit cannot be changed."))
        return value


class PracticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Practice.objects.all()
    serializer_class = PracticeSerializer
    filterset_class = PracticeFilterSet

    def get_queryset(self) -> QuerySet[Practice]:
        return selectors.visible_practices(self.request.user, self.scope_action()).select_related(
            "replicated_from")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data["fields"] = data.pop("field_list")
        serializer.instance = services.register_practice(actor=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        if "field_list" in data:
            data["fields"] = data.pop("field_list")
        serializer.instance = services.update_practice(actor=self.request.user,
                                                       practice=cast(Practice, serializer.instance), **data)


def _changeable_practice() -> ScopedRelatedField:
    return ScopedRelatedField(queryset=Practice.objects.all(), action=Action.CHANGE)


class IndicatorSerializer(ModelSerializer):
    practice = _changeable_practice()

    class Meta:
        model = Indicator
        fields = ["id", "practice", "name", "unit", "target"]


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    base_queryset = Indicator.objects.select_related("practice").order_by("practice", "position", "id")
    serializer_class = IndicatorSerializer
    filterset_fields = ["practice"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.add_indicator(actor=self.request.user, **serializer.validated_data)


class ResultSerializer(ModelSerializer):
    indicator = ScopedRelatedField(queryset=Indicator.objects.all(), action=Action.CHANGE)
    practice = serializers.IntegerField(source="indicator.practice_id", read_only=True)

    class Meta:
        model = Result
        fields = ["id", "indicator", "practice", "period_start", "period_end", "period_label", "actual", "note"]
        validators: list[Any] = []  # recording a period again corrects it (the service decides)


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Creating a result for an indicator and period already recorded corrects that figure."""

    base_queryset = Result.objects.select_related("indicator").order_by("indicator", "period_start", "id")
    serializer_class = ResultSerializer
    filterset_class = ResultFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.record_result(actor=self.request.user, **serializer.validated_data)


class ReplicationSerializer(ModelSerializer):
    origin = ScopedRelatedField(queryset=Practice.objects.all(), action=Action.VIEW)
    organisation = ScopedRelatedField(
        queryset=Organisation.objects.all(), action=Action.ADD, write_only=True, required=False,
        help_text="The adopting unit: a practice of its own is created there.")
    adopting = ScopedRelatedField(
        queryset=Practice.objects.all(), action=Action.CHANGE, required=False,
        help_text="Or: an already registered practice of another unit, linked as this replication.")
    name = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=255)
    adopting_organisation = serializers.IntegerField(source="adopting.organisation_id", read_only=True)

    class Meta:
        model = Replication
        fields = ["id", "origin", "adopting", "adopting_organisation", "organisation", "name", "adopted_on",
                  "adaptation_notes"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("organisation")) == bool(attrs.get("adopting")):
            raise serializers.ValidationError(
                {"organisation": ["Give either the adopting unit or the adopting practice, not both."]})
        return attrs


class ReplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    base_queryset = Replication.objects.select_related("adopting").order_by("adopted_on", "id")
    serializer_class = ReplicationSerializer
    filterset_fields = ["origin", "adopting"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        if data.get("adopting") is not None:
            serializer.instance = services.link_replication(
                actor=self.request.user, origin=data["origin"], adopting=data["adopting"],
                adopted_on=data["adopted_on"], adaptation_notes=data.get("adaptation_notes", ""))
        else:
            serializer.instance = services.replicate_practice(
                actor=self.request.user, origin=data["origin"], organisation=data["organisation"],
                adopted_on=data["adopted_on"], adaptation_notes=data.get("adaptation_notes", ""),
                name=data.get("name", ""))


class CommendationSerializer(ModelSerializer):
    practice = _changeable_practice()
    person = ScopedRelatedField(queryset=Person.objects.all(), action=Action.VIEW, required=False, allow_null=True)
    title = serializers.CharField(source="form", max_length=200)  # the oversight row names it `form`

    class Meta:
        model = Commendation
        fields = ["id", "practice", "person", "title", "level", "awarded_on", "decision_number", "issuer"]
        extra_kwargs = {"awarded_on": {"past": True}}


class CommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          ScopedViewSet):
    """A practice's commendations, stored with every other commendation in the oversight room."""

    base_queryset = Commendation.objects.filter(practice__isnull=False).order_by("-awarded_on", "-id")
    serializer_class = CommendationSerializer
    filterset_fields = ["practice", "level"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        serializer.instance = services.add_commendation(actor=self.request.user, title=data.pop("form"), **data)


class EvidenceLinkSerializer(ModelSerializer):
    """A practice offered as evidence for another record, named as "app_label.model" and id (a plan task is
    "campaigns.plantask"), so this room needs no import of the room that owns the record. Only kinds the rooms
    declare linkable, and only records in the caller's scope: any other reads as a record that does not exist."""

    practice = _changeable_practice()
    target_type = serializers.CharField(help_text='"app_label.model", for example "campaigns.plantask".')
    target_id = serializers.IntegerField(min_value=1)

    class Meta:
        model = EvidenceLink
        fields = ["id", "practice", "target_type", "target_id", "note"]

    def to_representation(self, instance: EvidenceLink) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["target_type"] = f"{instance.target_type.app_label}.{instance.target_type.model}"
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = selectors.linkable_target(user=self.context["request"].user, target_type=str(attrs["target_type"]),
                                           target_id=attrs["target_id"])
        if target is None:
            raise serializers.ValidationError({"target_id": [_("No such record.")]})
        attrs["target"] = target
        return attrs


class EvidenceLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          ScopedViewSet):
    base_queryset = EvidenceLink.objects.select_related("target_type").order_by("-created_at", "-id")
    serializer_class = EvidenceLinkSerializer
    filterset_class = EvidenceFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = serializer.validated_data
        serializer.instance = services.link_evidence(actor=self.request.user, practice=data["practice"],
                                                     target=data["target"], note=data.get("note", ""))


# --- public, read-only -----------------------------------------------------------------------------


class PublicResultSerializer(ModelSerializer):
    class Meta:
        model = Result
        fields = ["period_start", "period_end", "period_label", "actual"]


class PublicIndicatorSerializer(ModelSerializer):
    results = PublicResultSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["name", "unit", "target", "results"]


class PublicPracticeSerializer(ModelSerializer):
    """Only what the showcase shows: no creator, no notes, no people except the names the unit published."""

    fields = serializers.ListField(child=serializers.CharField(), source="field_list")  # type: ignore[assignment]
    unit = serializers.CharField(source="organisation.name")
    published_names = serializers.ListField(child=serializers.CharField(), source="public_name_list")
    indicators = PublicIndicatorSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = ["id", "name", "unit", "fields", "description", "started_on", "status", "reach",
                  "published_names", "indicators", "photos"]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, practice: Practice) -> list[str]:
        from django.urls import reverse

        return [reverse("practices:public_photo", args=[p.pk]) for p in practice.photos.all() if p.is_public]


class PublicThrottle(AnonRateThrottle):
    rate = "120/min"


class PublicPracticeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Public practices for anyone, without logging in."""

    serializer_class = PublicPracticeSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicThrottle]
    filterset_class = PublicPracticeFilterSet

    def get_queryset(self) -> QuerySet[Practice]:
        return selectors.public_practices(include_replications=True).prefetch_related("photos", "indicators__results")

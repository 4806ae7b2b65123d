"""API of working groups, households, visits, concerns, help at home, procedures and flag ceremonies. Residents'
details are in the authenticated, scoped API only (no public endpoint carries them)."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import PlausibleDateTime, ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.core.permissions import Action
from chithi.orgs.models import Organisation, Person

from .. import services
from ..filters import CeremonyFilterSet, GroupFilterSet, HomeHelpFilterSet, HouseholdFilterSet, VisitFilterSet
from ..models import (
    CeremonyStatus,
    Concern,
    FlagCeremony,
    GroupRole,
    HelpOutcome,
    HomeHelpRequest,
    Household,
    Meeting,
    Procedure,
    Visit,
    WorkingGroup,
)
from .common import ReadViewSet


class MemberSerializer(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField()
    role = serializers.ChoiceField(choices=GroupRole.choices)


class WorkingGroupSerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    members = serializers.SerializerMethodField()
    member_list = MemberSerializer(many=True, write_only=True, required=False)
    followed_units = ScopedRelatedField(queryset=Organisation.objects.all(), many=True)

    class Meta:
        model = WorkingGroup
        fields = ["id", "organisation", "name", "starts_on", "ends_on", "note", "members", "member_list",
                  "followed_units"]

    @extend_schema(responses=MemberSerializer(many=True))
    def get_members(self, group: WorkingGroup) -> list[dict[str, Any]]:
        return [{"person": m.person_id, "role": m.role} for m in group.members.all()]


class GroupAttendanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    meeting = ScopedRelatedField(queryset=Meeting.objects.all())
    people = serializers.ListField(child=serializers.IntegerField())


class WorkingGroupViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    base_queryset = WorkingGroup.objects.select_related("organisation").prefetch_related("members", "followed_units")
    serializer_class = WorkingGroupSerializer
    filterset_class = GroupFilterSet
    object_name = "group"

    @staticmethod
    def _members(data: dict[str, Any]) -> list[tuple[int, str]] | None:
        members = data.pop("member_list", None)
        return None if members is None else [(m["person"], m["role"]) for m in members]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.create_group(actor=self.request.user, members=self._members(data) or [],
                                                    **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        serializer.instance = services.update_group(actor=self.request.user,
                                                    group=cast(WorkingGroup, serializer.instance),
                                                    members=self._members(data), **data)

    @extend_schema(request=GroupAttendanceSerializer, responses=WorkingGroupSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        """The group's members who attended a meeting of a cell it follows (they become its guests)."""
        return self.respond(request, services.record_group_attendance, GroupAttendanceSerializer)


class HouseholdSerializer(ModelSerializer):
    residential_area = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)

    class Meta:
        model = Household
        fields = ["id", "residential_area", "head_name", "address", "phone", "members_note", "elderly", "disabled"]


class HouseholdViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    base_queryset = Household.objects.select_related("residential_area").order_by("residential_area", "address")
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.create_household(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        data.pop("residential_area", None)
        serializer.instance = services.update_household(actor=self.request.user,
                                                        household=cast(Household, serializer.instance), **data)


class VisitSerializer(ModelSerializer):
    group = ScopedRelatedField(queryset=WorkingGroup.objects.all(), action=Action.VIEW)
    household = ScopedRelatedField(queryset=Household.objects.all())
    visitors = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)

    class Meta:
        model = Visit
        fields = ["id", "group", "household", "starts_at", "status", "visitors", "situation", "raised", "follow_up"]
        read_only_fields = ["status", "situation", "raised", "follow_up"]


class VisitRecordSerializer(serializers.Serializer):  # type: ignore[type-arg]
    situation = serializers.CharField(required=False, allow_blank=True)
    raised = serializers.CharField(required=False, allow_blank=True)
    follow_up = serializers.CharField(required=False, allow_blank=True)
    visitors = serializers.ListField(child=serializers.IntegerField(), required=False)


class VisitViewSet(mixins.CreateModelMixin, ReadViewSet):
    """POST plans a visit (the visitors must be the group's members, who the service checks); the visit's record
    and its calling off are steps on it."""

    base_queryset = Visit.objects.select_related("group", "household").prefetch_related("visitors")
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    object_name = "visit"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.plan_visit(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=VisitRecordSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.record_visit, VisitRecordSerializer)

    @extend_schema(request=None, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.cancel_visit, None)


class ConcernSerializer(ModelSerializer):
    visit = ScopedRelatedField(queryset=Visit.objects.all())

    class Meta:
        model = Concern
        fields = ["id", "visit", "description", "issue"]
        read_only_fields = ["issue"]


class RaiseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.IntegerField()
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD, required=False)

    def validate_category(self, value: int) -> Any:
        from chithi.dialogues.models import IssueCategory

        category = IssueCategory.objects.filter(pk=value, active=True).first()
        if category is None:
            raise serializers.ValidationError(f'Invalid pk "{value}" - object does not exist.')
        return category


class ConcernViewSet(mixins.CreateModelMixin, ReadViewSet):
    base_queryset = Concern.objects.select_related("visit").order_by("visit", "id")
    serializer_class = ConcernSerializer
    filterset_fields = ["visit"]
    object_name = "concern"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.add_concern(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=RaiseSerializer, responses=ConcernSerializer)
    @action(detail=True, methods=["post"], url_path="raise-issue")
    def raise_issue(self, request: Request, pk: Any = None) -> Response:
        """The concern becomes a citizen issue (channel "visit"), linked both ways."""
        return self.respond(request, services.raise_issue, RaiseSerializer)


class HomeHelpSerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    household = ScopedRelatedField(queryset=Household.objects.all())
    officer = ScopedRelatedField(queryset=Person.objects.all())
    visit = ScopedRelatedField(queryset=Visit.objects.all(), required=False, allow_null=True)

    class Meta:
        model = HomeHelpRequest
        fields = ["id", "organisation", "household", "resident_name", "procedure", "channel", "visit", "reason",
                  "reason_note", "slot_start", "slot_minutes", "officer", "outcome", "outcome_note", "keep_note",
                  "satisfaction"]
        read_only_fields = ["outcome", "outcome_note", "keep_note", "satisfaction"]


class RescheduleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    slot_start = PlausibleDateTime(label=_("New appointment"))
    officer = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)


class OutcomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=[c for c in HelpOutcome.choices if c[0] != HelpOutcome.PENDING])
    outcome_note = serializers.CharField(required=False, allow_blank=True)
    keep_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    satisfaction = serializers.IntegerField(required=False, allow_null=True)


class HomeHelpViewSet(mixins.CreateModelMixin, ReadViewSet):
    base_queryset = HomeHelpRequest.objects.select_related("procedure").order_by("slot_start", "id")
    serializer_class = HomeHelpSerializer
    filterset_class = HomeHelpFilterSet
    object_name = "request"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.create_request(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=RescheduleSerializer, responses=HomeHelpSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.reschedule_request, RescheduleSerializer)

    @extend_schema(request=OutcomeSerializer, responses=HomeHelpSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.record_outcome, OutcomeSerializer)


class ProcedureSerializer(ModelSerializer):
    class Meta:
        model = Procedure
        fields = ["id", "code", "name", "active", "position"]


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The configurable list of procedures (edited in the admin); not tied to a unit."""

    queryset = Procedure.objects.order_by("position", "name")
    serializer_class = ProcedureSerializer
    pagination_class = None


class CeremonySerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.CHANGE)
    year = serializers.IntegerField(write_only=True, min_value=2000, max_value=2100)
    month = serializers.IntegerField(write_only=True, min_value=1, max_value=12)
    speaker = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CeremonyStatus.choices, default=CeremonyStatus.HELD)

    class Meta:
        model = FlagCeremony
        fields = ["id", "organisation", "period", "year", "month", "status", "held_on", "start_time", "place",
                  "speaker", "speaker_name", "topic", "attendance", "expected", "reason"]
        read_only_fields = ["period"]
        validators: list[Any] = []  # recording a month again corrects it


class CeremonyViewSet(mixins.CreateModelMixin, ReadViewSet):
    """POST records a unit's ceremony for a month (again: corrects it)."""

    base_queryset = FlagCeremony.objects.select_related("organisation").order_by("-period", "organisation")
    serializer_class = CeremonySerializer
    filterset_class = CeremonyFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.record_ceremony(actor=self.request.user, **serializer.validated_data)

"""API of cell meetings: meetings (with their one-button steps), agenda items, attendance, guests, minutes and the
resolution's tasks. Reads are scoped; every write goes through the services."""

from __future__ import annotations

from typing import Any, cast

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
from ..filters import AttendanceFilterSet, MeetingFilterSet
from ..models import (
    AbsenceReason,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingGuest,
    MinutesVersion,
    ResolutionTask,
    TaskOutcome,
)
from .common import MeetingReasonSerializer, ReadViewSet


class MeetingSerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    notify_members = serializers.BooleanField(write_only=True, required=False, default=False)
    plan_tasks = serializers.ListField(child=serializers.IntegerField(), write_only=True, required=False)
    attendance_rate = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "organisation", "kind", "theme_kind", "topic", "starts_at", "planned_minutes", "place", "note",
                  "status", "cancel_reason", "period", "notified_at", "roster_official", "roster_probationary",
                  "present_official", "present_probationary", "absent_excused", "absent_unexcused", "exempt_absent",
                  "attendance_rate", "notify_members", "plan_tasks"]
        read_only_fields = ["status", "cancel_reason", "period", "notified_at", "roster_official",
                            "roster_probationary", "present_official", "present_probationary", "absent_excused",
                            "absent_unexcused", "exempt_absent"]


class EntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.ChoiceField(choices=AbsenceReason.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class RollCallSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entries = EntrySerializer(many=True)


class OutcomeEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    task = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=TaskOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcomes = OutcomeEntrySerializer(many=True)


class MeetingViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    base_queryset = Meeting.objects.select_related("organisation").order_by("-starts_at", "-id")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    object_name = "meeting"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.schedule_meeting(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = {k: v for k, v in serializer.validated_data.items()
                if k not in ("organisation", "notify_members", "plan_tasks")}
        serializer.instance = services.update_meeting(actor=self.request.user,
                                                      meeting=cast(Meeting, serializer.instance), **data)

    @extend_schema(request=RollCallSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        """The whole roll call at once (every member of the cell on the meeting's day)."""
        return self.respond(request, services.record_attendance, RollCallSerializer)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.send_meeting_notice, None)

    @extend_schema(request=MeetingReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.cancel_meeting, MeetingReasonSerializer)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.approve_minutes, None)

    @extend_schema(request=MeetingReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="correct-minutes")
    def correct_minutes(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.correct_minutes, MeetingReasonSerializer)

    @extend_schema(request=ReviewSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="review-tasks")
    def review_tasks(self, request: Request, pk: Any = None) -> Response:
        """How each task of the earlier resolutions went, reviewed at this meeting."""
        return self.respond(request, services.review_tasks, ReviewSerializer)


class AgendaItemSerializer(ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all(), action=Action.CHANGE)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "position", "kind", "title", "plan_task"]
        read_only_fields = ["position", "kind"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}


class AgendaItemViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadViewSet):
    base_queryset = AgendaItem.objects.select_related("meeting__organisation").order_by("meeting", "position")
    serializer_class = AgendaItemSerializer
    filterset_fields = ["meeting"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.add_agenda_item(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: AgendaItem) -> None:
        services.remove_agenda_item(actor=self.request.user, item=instance)


class AttendanceSerializer(ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "person", "person_name", "status", "reason", "note", "probationary"]


class AttendanceViewSet(ReadViewSet):
    """Read-only: the roll call is written whole through POST /api/meetings/{id}/attendance/."""

    base_queryset = Attendance.objects.select_related("person").order_by("meeting", "person__sort_key")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet


class GuestSerializer(ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all(), action=Action.CHANGE)

    class Meta:
        model = MeetingGuest
        fields = ["id", "meeting", "name", "title", "group"]
        read_only_fields = ["group"]


class GuestViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadViewSet):
    base_queryset = MeetingGuest.objects.select_related("meeting__organisation").order_by("meeting", "id")
    serializer_class = GuestSerializer
    filterset_fields = ["meeting", "group"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.add_guest(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: MeetingGuest) -> None:
        services.remove_guest(actor=self.request.user, guest=instance)


class MinutesSerializer(ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all(), action=Action.CHANGE)
    chair = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    secretary = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)

    class Meta:
        model = MinutesVersion
        fields = ["id", "meeting", "number", "status", "reason", "chair", "secretary", "started_at", "ended_at",
                  "report", "remarks", "conclusions", "resolution", "votes_for", "votes_total", "score_parts", "score",
                  "grade", "attendance_snapshot", "approved_at"]
        read_only_fields = ["number", "status", "reason", "score", "grade", "attendance_snapshot", "approved_at"]
        validators: list[Any] = []  # saving again updates the draft (the service decides)


class MinutesViewSet(mixins.CreateModelMixin, ReadViewSet):
    """POST writes the meeting's draft minutes (the first version, or the newest while it is a draft)."""

    base_queryset = MinutesVersion.objects.select_related("meeting__organisation").order_by("meeting", "-number")
    serializer_class = MinutesSerializer
    filterset_fields = ["meeting", "status"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        serializer.instance = services.save_minutes(actor=self.request.user, meeting=meeting, **data)


class ResolutionTaskSerializer(ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all(), action=Action.CHANGE)
    assignee = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)

    class Meta:
        model = ResolutionTask
        fields = ["id", "meeting", "title", "assignee", "due_on", "outcome", "review_note", "reviewed_at"]
        read_only_fields = ["outcome", "review_note", "reviewed_at"]


class ResolutionTaskViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadViewSet):
    base_queryset = ResolutionTask.objects.select_related("meeting__organisation").order_by("meeting", "id")
    serializer_class = ResolutionTaskSerializer
    filterset_fields = ["meeting", "outcome"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.add_resolution_task(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: ResolutionTask) -> None:
        services.delete_resolution_task(actor=self.request.user, task=instance)

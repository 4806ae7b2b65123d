"""Internal API for dialogues and issues: the same FilterSets, scope and services as the HTML pages."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action
from chithi.orgs.models import Organisation, Person

from . import codes, policy, services
from .filters import DialogueFilterSet, IssueFilterSet
from .models import Dialogue, Issue, IssueCategory, IssueChannel, IssueEvent


class IssueCategorySerializer(ModelSerializer):
    class Meta:
        model = IssueCategory
        fields = ["id", "name", "code", "description", "group", "ack_days", "answer_days", "default_unit",
                  "public", "active"]


class IssueEventSerializer(ModelSerializer):
    class Meta:
        model = IssueEvent
        fields = ["at", "kind", "actor_name", "from_unit", "to_unit", "reason", "public"]


class IssueSerializer(ModelSerializer):
    tracking_code = serializers.CharField(source="display_code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = ["id", "tracking_code", "channel", "category", "description", "area", "area_unit", "address",
                  "latitude", "longitude", "reporter_name", "reporter_contact", "consent_to_publish", "status",
                  "status_reason", "organisation", "escalated_to", "dialogue", "duplicate_of", "received_at",
                  "acknowledged_at", "ack_due_on", "answer_due_on", "due_on", "overdue", "answer", "answered_at",
                  "closed_at", "reopened_at", "rating", "rating_comment"]
        read_only_fields = fields

    def get_overdue(self, issue: Issue) -> bool:
        return issue.is_overdue()


class IssueDetailSerializer(IssueSerializer):
    events = IssueEventSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="The workflow steps the caller may take now.")

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "events", "actions"]
        read_only_fields = fields

    def get_actions(self, issue: Issue) -> list[str]:
        request = self.context.get("request")
        return sorted(policy.ISSUE.allowed(getattr(request, "user", None), issue))


class IssueCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    channel = serializers.ChoiceField(choices=[IssueChannel.STAFF, IssueChannel.VISIT, IssueChannel.DIALOGUE])
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    category = serializers.PrimaryKeyRelatedField(queryset=IssueCategory.objects.filter(active=True))
    description = serializers.CharField(max_length=services.MAX_DESCRIPTION)
    dialogue = ScopedRelatedField(queryset=Dialogue.objects.all(), action=Action.ADD, required=False, allow_null=True)
    area = serializers.CharField(max_length=services.MAX_AREA, required=False, allow_blank=True)
    address = serializers.CharField(max_length=services.MAX_ADDRESS, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=services.MAX_NAME, required=False, allow_blank=True)
    reporter_contact = serializers.CharField(max_length=services.MAX_CONTACT, required=False, allow_blank=True)
    consent_to_publish = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=services.MAX_REASON, required=False, allow_blank=True, default="")


class AssignSerializer(ReasonSerializer):
    # Any unit: one may refer an issue outside one's own units; the service says which kind allows which unit.
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=list(policy.ASSIGN_KINDS), default=services.AssignKind.ASSIGN)


@extend_schema_field(OpenApiTypes.STR)
class IssueCodeField(ScopedRelatedField):
    """An issue the caller can see, by its tracking code (typed with or without the dash)."""

    default_error_messages = {"does_not_exist": _("No issue you can see has this tracking code.")}

    def to_internal_value(self, data: Any) -> Issue:
        code = codes.normalise(str(data))
        issue = self.get_queryset().filter(tracking_code=code).first() if code else None
        if issue is None:
            self.fail("does_not_exist", pk_value=data)
        return cast(Issue, issue)

    def to_representation(self, value: Any) -> str:
        return str(value.display_code)


class MergeSerializer(ReasonSerializer):
    duplicate_of = IssueCodeField(queryset=Issue.objects.all(), help_text="Tracking code of the original issue.")


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.CharField(max_length=services.MAX_ANSWER)


def _step_action(step: str, serializer: type[serializers.Serializer]) -> Any:  # type: ignore[type-arg]
    """The POST action /api/issues/<id>/<step>/: the same service and policy as the issue page's step."""

    def run(self: IssueViewSet, request: Request, pk: str | None = None) -> Response:
        issue = self.get_object()
        body = serializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        updated = services.take_step(actor=request.user, issue=issue, step=step, **body.validated_data)
        return Response(IssueDetailSerializer(Issue.objects.get(pk=updated.pk),
                                              context=self.get_serializer_context()).data)

    run.__name__ = step
    return extend_schema(request=serializer, responses=IssueDetailSerializer)(
        action(detail=True, methods=["post"], serializer_class=serializer)(run))


class IssueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Issues the caller's units handle or were escalated to; workflow steps are POST actions, and an
    issue's detail lists the steps the caller may take now (`actions`)."""

    base_queryset = Issue.objects.select_related("category", "organisation").order_by("due_on", "received_at")
    filterset_class = IssueFilterSet

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        return qs.prefetch_related("events") if self.action == "retrieve" else qs

    def scope_action(self) -> Action:
        if self.action in services.STEP_SERVICES:
            return Action.CHANGE
        return super().scope_action()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        return {"create": IssueCreateSerializer, "retrieve": IssueDetailSerializer}.get(  # type: ignore[return-value]
            self.action or "", self.serializer_class or IssueSerializer)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = IssueCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        issue = services.submit_issue(actor=request.user, **serializer.validated_data)
        return Response(IssueDetailSerializer(issue, context=self.get_serializer_context()).data, status=201)

    accept = _step_action("accept", ReasonSerializer)
    reject = _step_action("reject", ReasonSerializer)
    merge = _step_action("merge", MergeSerializer)
    assign = _step_action("assign", AssignSerializer)
    start = _step_action("start", ReasonSerializer)
    answer = _step_action("answer", AnswerSerializer)
    close = _step_action("close", ReasonSerializer)


class DialogueSerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    residential_area = ScopedRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    leaders = ScopedRelatedField(queryset=Person.objects.all(), many=True, required=False)
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dialogue
        fields = ["id", "organisation", "title", "held_on", "residential_area", "place", "leaders",
                  "participants_count", "minutes", "issue_count"]


class DialogueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Dialogue.objects.select_related("organisation").prefetch_related("leaders").order_by("-held_on")
    serializer_class = DialogueSerializer
    filterset_class = DialogueFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.create_dialogue(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("organisation", None)  # a dialogue stays with the unit that held it
        serializer.instance = services.update_dialogue(actor=self.request.user,
                                                       dialogue=cast(Dialogue, serializer.instance), **data)


class IssueCategoryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = IssueCategory.objects.filter(active=True).order_by("sort_order", "name")
    serializer_class = IssueCategorySerializer
    filterset_class = None

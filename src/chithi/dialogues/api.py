"""Internal API for dialogues and issues: the same FilterSets, scope and services as the HTML pages."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action, restrict
from chithi.orgs.models import Organisation, Person

from . import codes, services
from .filters import DialogueFilterSet, IssueFilterSet
from .models import Dialogue, Issue, IssueCategory, IssueChannel, IssueEvent


class IssueCategorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = IssueCategory
        fields = ["id", "name", "code", "description", "group", "ack_days", "answer_days", "default_unit",
                  "public", "active"]


class IssueEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = IssueEvent
        fields = ["at", "kind", "actor_name", "from_unit", "to_unit", "reason", "public"]


class IssueSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
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

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "events"]
        read_only_fields = fields


class IssueCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    channel = serializers.ChoiceField(choices=[IssueChannel.STAFF, IssueChannel.VISIT, IssueChannel.DIALOGUE])
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=IssueCategory.objects.filter(active=True))
    description = serializers.CharField(max_length=services.MAX_DESCRIPTION)
    dialogue = serializers.PrimaryKeyRelatedField(queryset=Dialogue.objects.all(), required=False, allow_null=True)
    area = serializers.CharField(max_length=services.MAX_AREA, required=False, allow_blank=True)
    address = serializers.CharField(max_length=services.MAX_ADDRESS, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=services.MAX_NAME, required=False, allow_blank=True)
    reporter_contact = serializers.CharField(max_length=services.MAX_CONTACT, required=False, allow_blank=True)
    consent_to_publish = serializers.BooleanField(required=False, default=False)

    def _scoped(self, model: Any, value: Any, action: Action) -> Any:
        if value is not None and not restrict(model.objects.filter(pk=value.pk), self.context["request"].user,
                                              action).exists():
            raise serializers.ValidationError(f'Invalid pk "{value.pk}" - object does not exist.')
        return value

    def validate_organisation(self, value: Organisation) -> Organisation:
        return cast(Organisation, self._scoped(Organisation, value, Action.ADD))

    def validate_dialogue(self, value: Dialogue | None) -> Dialogue | None:
        return cast(Dialogue | None, self._scoped(Dialogue, value, Action.ADD))


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=services.MAX_REASON, required=False, allow_blank=True, default="")


class AssignSerializer(ReasonSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=[services.AssignKind.ASSIGN, services.AssignKind.REASSIGN,
                                            services.AssignKind.REFER], default=services.AssignKind.ASSIGN)


class MergeSerializer(ReasonSerializer):
    duplicate_of = serializers.CharField(max_length=20, help_text="Tracking code of the original issue.")


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.CharField(max_length=services.MAX_ANSWER)


class IssueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Issues the caller's units handle or were escalated to; workflow steps are POST actions."""

    base_queryset = Issue.objects.select_related("category", "organisation").order_by("due_on", "received_at")
    filterset_class = IssueFilterSet

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        return qs.prefetch_related("events") if self.action == "retrieve" else qs

    def scope_action(self) -> Action:
        if self.action in ("accept", "reject", "merge", "assign", "start", "answer", "close"):
            return Action.CHANGE
        return super().scope_action()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        return {"create": IssueCreateSerializer, "retrieve": IssueDetailSerializer, "reject": ReasonSerializer,
                "accept": ReasonSerializer, "close": ReasonSerializer, "start": ReasonSerializer,
                "assign": AssignSerializer, "merge": MergeSerializer, "answer": AnswerSerializer,
                }.get(self.action or "", IssueSerializer)  # type: ignore[return-value]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = IssueCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        issue = services.submit_issue(actor=request.user, **serializer.validated_data)
        return Response(IssueDetailSerializer(issue).data, status=201)

    def _step(self, request: Request, call: Any) -> Response:
        issue = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = call(issue, serializer.validated_data)
        return Response(IssueDetailSerializer(Issue.objects.get(pk=updated.pk)).data)

    @extend_schema(request=ReasonSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._step(request, lambda i, d: services.accept_issue(actor=request.user, issue=i, note=d["reason"]))

    @extend_schema(request=ReasonSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._step(request, lambda i, d: services.reject_issue(actor=request.user, issue=i,
                                                                      reason=d["reason"]))

    @extend_schema(request=MergeSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        def call(issue: Issue, data: dict[str, Any]) -> Issue:
            code = codes.normalise(data["duplicate_of"])
            original = restrict(Issue.objects.filter(tracking_code=code), request.user).first() if code else None
            if original is None:
                raise serializers.ValidationError({"duplicate_of": ["No issue you can see has this tracking code."]})
            return services.merge_issue(actor=request.user, issue=issue, duplicate_of=original, reason=data["reason"])
        return self._step(request, call)

    @extend_schema(request=AssignSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        return self._step(request, lambda i, d: services.assign_issue(actor=request.user, issue=i, unit=d["unit"],
                                                                      reason=d["reason"], kind=d["kind"]))

    @extend_schema(request=ReasonSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._step(request, lambda i, d: services.start_issue(actor=request.user, issue=i))

    @extend_schema(request=AnswerSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        return self._step(request, lambda i, d: services.answer_issue(actor=request.user, issue=i,
                                                                      answer=d["answer"]))

    @extend_schema(request=ReasonSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._step(request, lambda i, d: services.close_issue(actor=request.user, issue=i, note=d["reason"]))


class DialogueSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    leaders = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dialogue
        fields = ["id", "organisation", "title", "held_on", "residential_area", "place", "leaders",
                  "participants_count", "minutes", "issue_count"]

    def validate_organisation(self, value: Organisation) -> Organisation:
        if not restrict(Organisation.objects.filter(pk=value.pk), self.context["request"].user,
                        Action.ADD).exists():
            raise serializers.ValidationError(f'Invalid pk "{value.pk}" - object does not exist.')
        return value


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

"""API for directives, themes, plans, tasks and the progress roll-up: the same FilterSets, scope, policy and
services as the HTML pages. Related ids are ScopedRelatedFields: one outside the caller's scope reads exactly
like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import PlausibleDate, ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.api.uploads import uploaded_xlsx, xlsx_import
from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action, get_scoped_or_404
from chithi.orgs.models import Organisation, Person

from . import policy, selectors, services
from .filters import DirectiveFilterSet, PlanFilterSet, TaskFilterSet, ThemeFilterSet
from .models import Directive, Plan, PlanTask, TaskStatus, TaskUpdate, Theme
from .progress import plan_progress, progress_sums


class FixedOnUpdate(ModelSerializer):
    """A serializer whose `fixed` fields are named on creation and never changed afterwards (the unit, the theme,
    the plan): an update may repeat them unchanged and they are not passed on to the update service."""

    fixed: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for name in self.fixed:
                if name not in attrs:
                    continue
                value = attrs.pop(name)
                if getattr(value, "pk", value) != getattr(self.instance, f"{name}_id"):
                    raise serializers.ValidationError({name: _("This field cannot be changed here.")})
        return super().validate(attrs)


class DirectiveSerializer(FixedOnUpdate):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    fixed = ("organisation",)

    class Meta:
        model = Directive
        fields = ["id", "organisation", "kind", "number", "issued_on", "issuer", "title", "summary"]
        validators: list[Any] = []  # the service checks duplicates and answers in the user's language
        extra_kwargs = {"issued_on": {"past": True}}


class ThemeSerializer(FixedOnUpdate):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    directive = ScopedRelatedField(queryset=Directive.objects.all())
    fixed = ("organisation",)

    class Meta:
        model = Theme
        fields = ["id", "organisation", "year", "directive", "kind", "text"]


class PlanSerializer(FixedOnUpdate):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    theme = ScopedRelatedField(queryset=Theme.objects.all(), action=Action.ADD)  # as PlanForm's choices
    progress = serializers.SerializerMethodField()
    task_count = serializers.IntegerField(read_only=True, source="progress_tasks", default=None)
    fixed = ("organisation", "theme")

    class Meta:
        model = Plan
        fields = ["id", "organisation", "theme", "parent", "year", "title", "number", "description", "starts_on",
                  "ends_on", "closed_on", "progress", "task_count"]
        read_only_fields = ["parent", "year", "closed_on"]
        validators: list[Any] = []  # the service says which unit already has a plan for the theme
        extra_kwargs = {"starts_on": {"required": False}, "ends_on": {"required": False}}

    def get_progress(self, plan: Plan) -> float:
        """The plan's progress (0–100) by the room's one rule; a plan without tasks is at 0."""
        return round(plan_progress(plan), 1)


class CascadeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    # Issuing work to a unit is adding to it: ADD scope, so a unit the caller only reads answers like a missing
    # id instead of reaching the service's message, which names it (issue 9).
    units = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD, many=True, required=False)
    tasks = ScopedRelatedField(queryset=PlanTask.objects.all(), many=True, required=False)
    lead_working_days = serializers.IntegerField(required=False, default=0)


class CascadeResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    plans_created = serializers.ListField(child=serializers.IntegerField())
    plans_existing = serializers.ListField(child=serializers.IntegerField())
    tasks_created = serializers.IntegerField()
    tasks_existing = serializers.IntegerField()


class TaskUpdateSerializer(ModelSerializer):
    author = serializers.CharField(source="author.username", default=None, read_only=True)

    class Meta:
        model = TaskUpdate
        fields = ["id", "created_at", "author", "status", "progress", "note"]


class TaskSerializer(FixedOnUpdate):
    plan = ScopedRelatedField(queryset=Plan.objects.all(), action=Action.ADD)
    # Owners are given work: ADD scope, as for the cascade's units (issue 9).
    owner_people = ScopedRelatedField(queryset=Person.objects.all(), action=Action.ADD, many=True, required=False)
    owner_units = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD, many=True,
                                     required=False)
    deadline_working_days = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    organisation = serializers.IntegerField(source="plan.organisation_id", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PlanTask
        fields = ["id", "plan", "organisation", "title", "description", "owner_people", "owner_units", "deadline",
                  "deadline_working_days", "weight", "target", "status", "cancel_reason", "progress", "required",
                  "source_task", "completed_on", "overdue"]
        read_only_fields = ["status", "cancel_reason", "progress", "required", "source_task", "completed_on"]
        extra_kwargs = {"deadline": {"required": False}, "weight": {"required": False}}

    fixed = ("plan",)

    def get_overdue(self, task: PlanTask) -> bool:
        return task.is_overdue()


class ProgressSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A progress report on the task in the context (`task`, and the `request`'s user)."""

    progress = serializers.IntegerField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    cancel_reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_status(self, value: str) -> str:
        # The rule the page's select offers and report_progress applies (policy.status_decisions): a status this
        # task may not be given is answered under `status` with the policy's reason.
        if value:
            decision = policy.status_decisions(self.context["request"].user, self.context["task"])[TaskStatus(value)]
            if not decision:
                raise serializers.ValidationError(decision.reason)
        return value


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, ScopedViewSet):
    """List, read, create and update; the writes go through the room's services with the validated data."""

    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    updated: str  # the update service's keyword for the object ("plan", "task")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = self.create_service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = self.update_service(actor=self.request.user, **{self.updated: serializer.instance},
                                                  **serializer.validated_data)


class DirectiveViewSet(ServiceViewSet):
    base_queryset = Directive.objects.select_related("organisation").order_by("-issued_on", "id")
    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilterSet
    create_service = staticmethod(services.create_directive)
    update_service = staticmethod(services.update_directive)
    updated = "directive"


class ThemeViewSet(ServiceViewSet):
    base_queryset = Theme.objects.select_related("organisation").order_by("-year", "id")
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    create_service = staticmethod(services.create_theme)
    update_service = staticmethod(services.update_theme)
    updated = "theme"


class PlanViewSet(ServiceViewSet):
    base_queryset = Plan.objects.select_related("organisation", "theme").order_by("-year", "organisation__path",
                                                                                  "id")
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    create_service = staticmethod(services.create_plan)
    update_service = staticmethod(services.update_plan)
    updated = "plan"

    def get_queryset(self) -> QuerySet[Plan]:
        return super().get_queryset().annotate(**progress_sums())

    def scope_action(self) -> Action:
        if self.action == "cascade":
            return Action.ADD
        return super().scope_action()

    @extend_schema(request=CascadeSerializer, responses={200: CascadeResultSerializer})
    @action(detail=True, methods=["post"])
    def cascade(self, request: Request, pk: str | None = None) -> Response:
        """Issue the plan to sub-units (all active ones when `units` is omitted): idempotent, all or nothing."""
        plan = self.get_object()
        serializer = CascadeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.cascade_plan(
            actor=request.user, plan=plan, units=data.get("units"), tasks=data.get("tasks"),
            lead_working_days=data.get("lead_working_days", 0))
        return Response({"plans_created": [p.pk for p in result.plans_created],
                         "plans_existing": [p.pk for p in result.plans_existing],
                         "tasks_created": result.tasks_created, "tasks_existing": result.tasks_existing})


class TaskViewSet(ServiceViewSet):
    base_queryset = PlanTask.objects.select_related("plan").prefetch_related("owner_people", "owner_units") \
        .order_by("deadline", "id")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    create_service = staticmethod(services.create_task)
    update_service = staticmethod(services.update_task)
    updated = "task"

    def scope_action(self) -> Action:
        if self.action == "progress":
            return Action.CHANGE
        if self.action == "import_xlsx":
            return Action.IMPORT
        return super().scope_action()

    @extend_schema(request=ProgressSerializer, responses={201: TaskUpdateSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Report progress (0–100), a status, a note: the task moves and its timeline gets one entry."""
        task = self.get_object()
        serializer = ProgressSerializer(data=request.data, context={**self.get_serializer_context(), "task": task})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        update = services.report_progress(actor=request.user, task=task, progress=data.get("progress"),
                                          status=data.get("status") or None, note=data.get("note", ""),
                                          cancel_reason=data.get("cancel_reason", ""))
        return Response(TaskUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: TaskUpdateSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        return Response(TaskUpdateSerializer(selectors.task_timeline(task=task)[:200], many=True).data)

    @xlsx_import(responses={200: TaskUpdateSerializer(many=True)})
    def import_xlsx(self, request: Request) -> Response:
        """Update progress from the product's task export (XLSX): all rows or none; errors give row and column."""
        updates = services.import_progress(actor=request.user, source=uploaded_xlsx(request))
        return Response(TaskUpdateSerializer(updates, many=True).data)


class RollupNodeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    depth = serializers.IntegerField()
    active = serializers.BooleanField()
    plans = serializers.IntegerField(help_text="Plans in the subtree")
    own_plans = serializers.IntegerField()
    tasks = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()
    progress = serializers.FloatField(allow_null=True, help_text="Mean progress of the subtree's plans (%)")
    own_progress = serializers.FloatField(allow_null=True)


class RollupSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(allow_null=True)
    theme = serializers.IntegerField(allow_null=True)
    today = PlausibleDate()
    results = RollupNodeSerializer(many=True)


class RollupViewSet(viewsets.ViewSet):
    """Progress of a subtree: each unit's own plans and its subtree's, a fixed number of queries, read from the
    reporting database (selectors.rollup)."""

    @extend_schema(parameters=[
        OpenApiParameter("unit", int, description="Root unit (default: the top of your scope)"),
        OpenApiParameter("year", int), OpenApiParameter("theme", int),
        OpenApiParameter("depth", int, description="Levels below the root to return (default: all)"),
    ], responses={200: RollupSerializer})
    def list(self, request: Request) -> Response:
        params = request.query_params

        def number(name: str) -> int | None:
            value = params.get(name, "")
            if value and not value.isdigit():
                raise serializers.ValidationError({name: [_("A whole number is required.")]})
            return int(value) if value else None

        unit_id = number("unit")
        root = get_scoped_or_404(Organisation, request.user, Action.VIEW, pk=unit_id) if unit_id else None
        depth = number("depth")
        result = selectors.rollup(user=request.user, root=root, year=number("year"), theme_id=number("theme"),
                                  levels=depth)
        nodes = result.flatten(depth)
        return Response({"year": result.year, "theme": result.theme_id, "today": result.today,
                         "results": [node.as_dict() for node in nodes]})

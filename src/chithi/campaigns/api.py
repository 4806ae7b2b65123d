"""API for directives, themes, plans, tasks and the progress roll-up: the same FilterSets, scope and services
as the HTML pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action, get_scoped_or_404, restrict
from chithi.orgs.models import Organisation, Person

from . import selectors, services
from .filters import DirectiveFilterSet, PlanFilterSet, TaskFilterSet, ThemeFilterSet
from .models import Directive, Plan, PlanTask, TaskStatus, TaskUpdate, Theme


def _in_scope(user: Any, model: type[Any], pk: int, action: Action) -> bool:
    return restrict(model.objects.filter(pk=pk), user, action).exists()


def _not_found(pk: Any) -> serializers.ValidationError:
    return serializers.ValidationError(f'Invalid pk "{pk}" - object does not exist.')


class DirectiveSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Directive
        fields = ["id", "organisation", "kind", "number", "issued_on", "issuer", "title", "summary"]
        validators: list[Any] = []  # the service checks duplicates and answers in the user's language

    def validate_organisation(self, value: Organisation) -> Organisation:
        if self.instance is not None and value.pk != cast(Directive, self.instance).organisation_id:
            raise serializers.ValidationError("The recording unit cannot be changed.")
        if not _in_scope(self.context["request"].user, Organisation, value.pk, Action.ADD):
            raise _not_found(value.pk)
        return value


class ThemeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Theme
        fields = ["id", "organisation", "year", "directive", "kind", "text"]

    def validate_organisation(self, value: Organisation) -> Organisation:
        if self.instance is not None and value.pk != cast(Theme, self.instance).organisation_id:
            raise serializers.ValidationError("The unit cannot be changed.")
        if not _in_scope(self.context["request"].user, Organisation, value.pk, Action.ADD):
            raise _not_found(value.pk)
        return value

    def validate_directive(self, value: Directive) -> Directive:
        if not _in_scope(self.context["request"].user, Directive, value.pk, Action.VIEW):
            raise _not_found(value.pk)
        return value


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    progress = serializers.SerializerMethodField()
    task_count = serializers.IntegerField(read_only=True, source="n_tasks", default=None)

    class Meta:
        model = Plan
        fields = ["id", "organisation", "theme", "parent", "year", "title", "number", "description", "starts_on",
                  "ends_on", "closed_on", "progress", "task_count"]
        read_only_fields = ["parent", "year", "closed_on"]
        validators: list[Any] = []  # the service says which unit already has a plan for the theme
        extra_kwargs = {"starts_on": {"required": False}, "ends_on": {"required": False}}

    def get_progress(self, plan: Plan) -> float | None:
        n = getattr(plan, "n_tasks", None)
        if n is None:
            live = [(t.weight, t.progress) for t in plan.tasks.exclude(status=TaskStatus.CANCELLED)]
            value = selectors.task_progress(live)
        elif not n:
            value = None
        elif plan.wtotal:  # type: ignore[attr-defined]
            value = float(plan.wsum / plan.wtotal)  # type: ignore[attr-defined]
        else:
            value = float(plan.psum) / n  # type: ignore[attr-defined]
        return None if value is None else round(value, 1)

    def validate_organisation(self, value: Organisation) -> Organisation:
        if self.instance is not None and value.pk != cast(Plan, self.instance).organisation_id:
            raise serializers.ValidationError("The unit cannot be changed.")
        if not _in_scope(self.context["request"].user, Organisation, value.pk, Action.ADD):
            raise _not_found(value.pk)
        return value

    def validate_theme(self, value: Theme) -> Theme:
        if self.instance is not None and value.pk != cast(Plan, self.instance).theme_id:
            raise serializers.ValidationError("The theme cannot be changed.")
        if not _in_scope(self.context["request"].user, Theme, value.pk, Action.VIEW):
            raise _not_found(value.pk)
        return value


class CascadeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    units = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, required=False)
    tasks = serializers.PrimaryKeyRelatedField(queryset=PlanTask.objects.all(), many=True, required=False)
    lead_working_days = serializers.IntegerField(required=False, default=0)


class CascadeResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    plans_created = serializers.ListField(child=serializers.IntegerField())
    plans_existing = serializers.ListField(child=serializers.IntegerField())
    tasks_created = serializers.IntegerField()
    tasks_existing = serializers.IntegerField()


class TaskUpdateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    author = serializers.CharField(source="author.username", default=None, read_only=True)

    class Meta:
        model = TaskUpdate
        fields = ["id", "created_at", "author", "status", "progress", "note"]


class TaskSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    owner_people = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)
    owner_units = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True,
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

    def get_overdue(self, task: PlanTask) -> bool:
        return task.is_overdue()

    def validate_plan(self, value: Plan) -> Plan:
        if self.instance is not None and value.pk != cast(PlanTask, self.instance).plan_id:
            raise serializers.ValidationError("A task cannot move to another plan.")
        if not _in_scope(self.context["request"].user, Plan, value.pk, Action.ADD):
            raise _not_found(value.pk)
        return value


class ProgressSerializer(serializers.Serializer):  # type: ignore[type-arg]
    progress = serializers.IntegerField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    cancel_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DirectiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Directive.objects.select_related("organisation").order_by("-issued_on", "id")
    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.create_directive(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        serializer.instance = services.update_directive(actor=self.request.user,
                                                        directive=cast(Directive, serializer.instance), **data)


class ThemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Theme.objects.select_related("organisation").order_by("-year", "id")
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.create_theme(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        serializer.instance = services.update_theme(actor=self.request.user, theme=cast(Theme, serializer.instance),
                                                    **data)


def _with_progress(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    live = ~Q(tasks__status=TaskStatus.CANCELLED)
    weighted = ExpressionWrapper(F("tasks__weight") * F("tasks__progress"),
                                 output_field=DecimalField(max_digits=12, decimal_places=2))
    return plans.annotate(wsum=Sum(weighted, filter=live), wtotal=Sum("tasks__weight", filter=live),
                          psum=Sum("tasks__progress", filter=live), n_tasks=Count("tasks", filter=live))


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Plan.objects.select_related("organisation", "theme").order_by("-year", "organisation__path",
                                                                                  "id")
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet

    def get_queryset(self) -> QuerySet[Plan]:
        return _with_progress(super().get_queryset())

    def scope_action(self) -> Action:
        if self.action == "cascade":
            return Action.ADD
        return super().scope_action()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.create_plan(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        data.pop("theme", None)
        serializer.instance = services.update_plan(actor=self.request.user, plan=cast(Plan, serializer.instance),
                                                   **data)

    @extend_schema(request=CascadeSerializer, responses={200: CascadeResultSerializer})
    @action(detail=True, methods=["post"])
    def cascade(self, request: Request, pk: str | None = None) -> Response:
        """Issue the plan to sub-units (all active ones when `units` is omitted): idempotent, all or nothing."""
        plan = self.get_object()
        serializer = CascadeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.cascade_plan(
            actor=request.user, plan=plan, units=data.get("units"), tasks=data.get("tasks"),
            lead_working_days=data.get("lead_working_days", 0))
        return Response({"plans_created": [p.pk for p in result.plans_created],
                         "plans_existing": [p.pk for p in result.plans_existing],
                         "tasks_created": result.tasks_created, "tasks_existing": result.tasks_existing})


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = PlanTask.objects.select_related("plan").prefetch_related("owner_people", "owner_units") \
        .order_by("deadline", "id")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    def scope_action(self) -> Action:
        if self.action == "progress":
            return Action.CHANGE
        if self.action == "import_xlsx":
            return Action.IMPORT
        return super().scope_action()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        serializer.instance = services.create_task(
            actor=self.request.user, plan=data.pop("plan"), title=data.pop("title", ""),
            deadline=data.pop("deadline", None), deadline_working_days=data.pop("deadline_working_days", None),
            owner_people=data.pop("owner_people", []), owner_units=data.pop("owner_units", []), **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("plan", None)
        task = cast(PlanTask, serializer.instance)
        days = data.pop("deadline_working_days", None)
        if days is not None:
            data["deadline"] = services._resolve_deadline(task.plan, None, days)
        serializer.instance = services.update_task(
            actor=self.request.user, task=task, owner_people=data.pop("owner_people", None),
            owner_units=data.pop("owner_units", None), **data)

    @extend_schema(request=ProgressSerializer, responses={201: TaskUpdateSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Report progress (0–100), a status, a note: the task moves and its timeline gets one entry."""
        task = self.get_object()
        serializer = ProgressSerializer(data=request.data)
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

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}, responses={200: TaskUpdateSerializer(many=True)})
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser], url_path="import")
    def import_xlsx(self, request: Request) -> Response:
        """Update progress from the product's task export (XLSX): all rows or none; errors give row and column."""
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": ["Attach an .xlsx file as 'file'."]})
        updates = services.import_progress(actor=request.user, source=upload.read())
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
    today = serializers.DateField()
    results = RollupNodeSerializer(many=True)


class RollupViewSet(viewsets.ViewSet):
    """Progress of a subtree: each unit's own plans and its subtree's, a fixed number of queries."""

    @extend_schema(parameters=[
        OpenApiParameter("org", int, description="Root unit (default: the top of your scope)"),
        OpenApiParameter("year", int), OpenApiParameter("theme", int),
        OpenApiParameter("depth", int, description="Levels below the root to return (default: all)"),
    ], responses={200: RollupSerializer})
    def list(self, request: Request) -> Response:
        params = request.query_params

        def number(name: str) -> int | None:
            value = params.get(name, "")
            if value and not value.isdigit():
                raise serializers.ValidationError({name: ["A whole number is required."]})
            return int(value) if value else None

        org_id = number("org")
        root = get_scoped_or_404(Organisation, request.user, Action.VIEW, pk=org_id) if org_id else None
        result = selectors.rollup(user=request.user, root=root, year=number("year"), theme_id=number("theme"))
        nodes = result.flatten(number("depth"))
        return Response({"year": result.year, "theme": result.theme_id, "today": result.today,
                         "results": [node.as_dict() for node in nodes]})

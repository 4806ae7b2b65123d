"""API of the oversight room, scoped like its pages: cases and their remedial work, evaluations and
commendations. Reading needs the authorised roles of either unit (policy.SEE), as on the pages; a member also
reads their own individual evaluation.

The writes are the pages' steps, through the same services and so the same policy (policy.py): opening a case
from a programme item, the inspected body's self-report (multipart, its file through the same upload checks),
recording the findings and conclusions, a recommendation (its remedial work), a
self-evaluation score with its reason, the approval of an evaluation. Outside the scope is a 404; a step the
policy refuses now is a 400 with its reason (api.exceptions)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import PlausibleDate
from chithi.api.serializers import ModelSerializer
from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action, restrict
from chithi.orgs.models import Person

from . import services
from .models import Award, Case, Criterion, Evaluation, Level, ProgrammeItem, Remedy, Score, SelfReportFile
from .policy import SEE


class _SeenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    def scope_action(self) -> Action:
        return SEE

    def step(self, request: Request, serializer_class: type[serializers.Serializer], service: Any,  # type: ignore[type-arg]
                **kwargs: Any) -> Any:
        """One step of the object's life: its body validated for shape, then the room's service decides."""
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return service(actor=request.user, **kwargs, **serializer.validated_data)


def _visible_people(request: Request | None) -> QuerySet[Person]:
    if request is None:  # the schema's generation: no user, nothing to choose from
        return Person.objects.none()
    return restrict(Person.objects.all(), request.user, Action.VIEW)


class RemedySerializer(ModelSerializer):
    class Meta:
        model = Remedy
        fields = ["id", "case", "recommendation", "owner_unit", "owner_person", "deadline", "status", "report",
                  "reported_on", "verified_on", "escalated_on"]


class CaseSerializer(ModelSerializer):
    inspecting_name = serializers.CharField(source="inspecting.name", read_only=True)
    inspected_unit_name = serializers.CharField(source="inspected_unit.name", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "kind", "register", "year", "decision_number", "decided_on", "signatory", "subject",
                  "inspecting", "inspecting_name", "inspected_unit", "inspected_unit_name", "inspected_person",
                  "period_start", "period_end", "starts_on", "time_limit_days", "extension_days", "status",
                  "concluded_on", "closed_on", "findings", "conclusions"]
        extra_kwargs = {"concluded_on": {"past": True}}


class CaseFromItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The decision that turns a programme item into a case: the units, the member and the kind come from the
    item."""

    item = serializers.PrimaryKeyRelatedField(queryset=ProgrammeItem.objects.none())
    decision_number = serializers.CharField(max_length=60)
    decided_on = PlausibleDate(label=_("Decision date"))
    signatory = serializers.CharField(max_length=200)
    subject = serializers.CharField(max_length=500, required=False, allow_blank=True)
    period_start = PlausibleDate(label=_("Period under review from"))
    period_end = PlausibleDate(label=_("Period under review to"))
    starts_on = PlausibleDate(label=_("Work starts on"))
    team = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), many=True, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # an item outside the user's programmes does not exist for them
            self.fields["item"].queryset = restrict(  # type: ignore[attr-defined]
                ProgrammeItem.objects.select_related("programme__organisation", "target_unit", "target_person"),
                request.user, Action.CHANGE)
        self.fields["team"].child_relation.queryset = _visible_people(request)  # type: ignore[attr-defined]


class FindingsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    findings = serializers.CharField()
    conclusions = serializers.CharField()
    concluded_on = PlausibleDate(label=_("Concluded on"), past=True)


class RecommendationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recommendation = serializers.CharField()
    deadline = PlausibleDate(label=_("Deadline"))
    owner_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), required=False,
                                                      allow_null=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = _visible_people(self.context.get("request"))  # type: ignore[attr-defined]


class SelfReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The self-report as on its page: written text, an uploaded file (a signed scan, a Word file), or both; the
    file is checked by the same service as the page's upload (core.uploads: type by its first bytes, size)."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    upload = serializers.FileField(required=False)


class SelfReportFileSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = SelfReportFile
        fields = ["id", "original_name", "size", "content_type", "url"]


class CaseSelfReportSerializer(ModelSerializer):
    """Only in the self-report step's answer: the list of cases does not fetch every case's files."""

    self_report_files = SelfReportFileSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "status", "self_report", "self_report_on", "self_report_files"]


class CaseViewSet(mixins.CreateModelMixin, _SeenViewSet):
    base_queryset = Case.objects.select_related("inspecting", "inspected_unit").order_by("-decided_on", "-id")
    serializer_class = CaseSerializer

    @extend_schema(request=CaseFromItemSerializer, responses={201: CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open the case of a programme item (the decision); its number is once per register and term."""
        serializer = CaseFromItemSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item: ProgrammeItem = data.pop("item")
        case = services.open_case(
            actor=request.user, item=item, inspecting=item.programme.organisation, inspected_unit=item.target_unit,
            inspected_person=item.target_person, kind=item.kind,
            subject=data.pop("subject", "") or item.content[:500], **data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FindingsSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str | None = None) -> Response:
        """Record the findings and conclusions: the case is concluded."""
        case = self.step(request, FindingsSerializer, services.conclude_case, case=self.get_object())
        return Response(CaseSerializer(case).data)

    @extend_schema(request=RecommendationSerializer, responses={201: RemedySerializer})
    @action(detail=True, methods=["post"])
    def recommendations(self, request: Request, pk: str | None = None) -> Response:
        """A recommendation of the conclusions: remedial work for the inspected unit, with a deadline."""
        remedy = self.step(request, RecommendationSerializer, services.add_recommendation, case=self.get_object())
        return Response(RemedySerializer(remedy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": SelfReportSerializer}, responses={200: CaseSelfReportSerializer})
    @action(detail=True, methods=["post"], url_path="self-report", parser_classes=[MultiPartParser, FormParser])
    def self_report(self, request: Request, pk: str | None = None) -> Response:
        """The inspected body's self-report (multipart: `text`, `upload` or both), as on the case's page. A file
        refused by the upload checks is a 400 and writes nothing, not even the text."""
        case = self.step(request, SelfReportSerializer, services.submit_self_report, case=self.get_object())
        return Response(CaseSelfReportSerializer(case).data)


class RemedyViewSet(_SeenViewSet):
    base_queryset = Remedy.objects.order_by("deadline", "id")
    serializer_class = RemedySerializer


class EvaluationSerializer(ModelSerializer):
    year = serializers.IntegerField(source="round.year", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "round", "year", "form_kind", "organisation", "person", "status", "total", "self_level",
                  "proposed_level", "decided_level", "proposed_on", "decided_on"]


class ScoreSerializer(ModelSerializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=Criterion.objects.all())
    points = serializers.DecimalField(max_digits=5, decimal_places=2)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    class Meta:
        model = Score
        fields = ["criterion", "points", "reason"]


class ApproveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    level = serializers.ChoiceField(choices=Level.choices)


class EvaluationViewSet(_SeenViewSet):
    base_queryset = Evaluation.objects.select_related("round").order_by("id")
    serializer_class = EvaluationSerializer

    def get_queryset(self) -> QuerySet[Evaluation]:
        # as the pages: the units' authorised roles, and a member their own individual form
        person_id = getattr(self.request.user, "person_id", None)
        if not person_id:
            return super().get_queryset()
        scoped = super().get_queryset().values("pk")
        return self.base_queryset.filter(Q(pk__in=scoped) | Q(person_id=person_id))

    @extend_schema(request=ScoreSerializer, responses={200: ScoreSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        """Score one criterion; a change of the score drawn from the evidence needs its reason."""
        evaluation = self.get_object()
        score = self.step(request, ScoreSerializer, services.set_score, evaluation=evaluation)
        return Response(ScoreSerializer(score).data)

    @extend_schema(request=ApproveSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """The level above decides the proposed evaluation: it is final."""
        evaluation = self.step(request, ApproveSerializer, services.decide, evaluation=self.get_object())
        return Response(EvaluationSerializer(evaluation).data)


class AwardSerializer(ModelSerializer):
    class Meta:
        model = Award
        fields = ["id", "organisation", "person", "practice", "form", "level", "decision_number", "awarded_on",
                  "issuer"]
        extra_kwargs = {"awarded_on": {"past": True}}


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    base_queryset = Award.objects.order_by("-awarded_on", "-id")
    serializer_class = AwardSerializer

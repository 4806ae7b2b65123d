"""API of the reports room: rounds (open, list, close, the board and compiled figures), reports (read, update,
submit, return, accept, correct, compile). Scoped like every room; writes go through the services."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.core.db_routers import reporting_db
from chithi.core.permissions import Action
from chithi.grassroots.api.common import ReadViewSet
from chithi.orgs.models import Organisation

from . import figures as fig
from . import selectors, services
from .models import Report, Round


class RoundSerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)

    class Meta:
        model = Round
        fields = ["id", "organisation", "kind", "title", "period_start", "period_end", "deadline", "status",
                  "created_at"]
        read_only_fields = ["status", "created_at"]


class ReportSerializer(ModelSerializer):
    reported = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "round", "organisation", "compiled", "version", "status", "summary", "figures", "overrides",
                  "reported", "sections", "place", "signer_title", "signer_name", "recipients", "submitted_at",
                  "decided_at", "return_comment", "correction_reason", "late"]
        read_only_fields = ["round", "organisation", "compiled", "version", "status", "figures", "submitted_at",
                            "decided_at", "return_comment", "correction_reason"]

    def get_reported(self, report: Report) -> dict[str, Any]:
        return {key: report.value(key) for key in fig.KEYS}

    def get_late(self, report: Report) -> bool:
        from django.utils import timezone

        return report.is_late(timezone.localdate())


class CommentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    comment = serializers.CharField()


class CorrectionReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=500)


class ReportingReads:
    """A read of the API (GET) goes to the reporting database, the replica when one is configured (issue 13);
    a write and the object it acts on stay on the primary."""

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[misc]
        method = self.request.method  # type: ignore[attr-defined]
        return queryset.using(reporting_db()) if method in SAFE_METHODS else queryset


class RoundViewSet(ReportingReads, mixins.CreateModelMixin, ReadViewSet):
    base_queryset = Round.objects.select_related("organisation").order_by("-period_end", "-id")
    serializer_class = RoundSerializer
    object_name = "round_"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        unit = data.pop("organisation")
        serializer.instance = services.open_round(actor=self.request.user, unit=unit, **data)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.close_round, None)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["get"])
    def board(self, request: Request, pk: Any = None) -> Response:
        """Who has submitted and who is late, with each sub-unit's reported figures and the compiled figures."""
        round_ = cast(Round, self.get_object())
        rows, own, counts = selectors.round_board(round_=round_, using=reporting_db())
        return Response({
            "round": round_.pk, "counts": counts,
            "submissions": [{"report": r.report.pk, "organisation": r.report.organisation_id,
                             "organisation_name": r.report.organisation.name, "status": r.report.status,
                             "late": r.late, "submitted_at": r.report.submitted_at,
                             "figures": r.report.reported_figures()} for r in rows],
            "compiled": None if own is None else {
                "report": own.pk, "status": own.status, "figures": own.reported_figures(),
                "check": [{k: (str(v) if k == "label" else v) for k, v in c.items()}
                          for c in services.compile_check(own, using=reporting_db())]},
        })


class ReportViewSet(ReportingReads, mixins.UpdateModelMixin, ReadViewSet):
    base_queryset = Report.objects.select_related("round", "organisation").order_by("round", "organisation__sort_key",
                                                                                     "-version")
    serializer_class = ReportSerializer
    object_name = "report"

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.update_report(actor=self.request.user, report=cast(Report, serializer.instance),
                                                     **serializer.validated_data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.submit_report, None)

    @extend_schema(request=CommentSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.return_report, CommentSerializer)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.accept_report, None)

    @extend_schema(request=CorrectionReasonSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.correct_report, CorrectionReasonSerializer)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="compile", url_name="compile")
    def compile_(self, request: Request, pk: Any = None) -> Response:
        return self.respond(request, services.compile_report, None)

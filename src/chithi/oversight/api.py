"""Read-only API of the oversight room, scoped like its pages: cases and their remedial work, evaluations and
commendations. Reading needs the authorised roles of either unit (policy.SEE), as on the pages; the writes go
through the pages for now (docs/decisions.md, "oversight")."""

from __future__ import annotations

from rest_framework import mixins, serializers

from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action

from .models import Award, Case, Evaluation, Remedy
from .policy import SEE


class _SeenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    def scope_action(self) -> Action:
        return SEE


class RemedySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Remedy
        fields = ["id", "case", "recommendation", "owner_unit", "owner_person", "deadline", "status", "report",
                  "reported_on", "verified_on", "escalated_on"]


class CaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    inspecting_name = serializers.CharField(source="inspecting.name", read_only=True)
    inspected_unit_name = serializers.CharField(source="inspected_unit.name", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "kind", "register", "year", "decision_number", "decided_on", "signatory", "subject",
                  "inspecting", "inspecting_name", "inspected_unit", "inspected_unit_name", "inspected_person",
                  "period_start", "period_end", "starts_on", "time_limit_days", "extension_days", "status",
                  "concluded_on", "closed_on", "findings", "conclusions"]


class CaseViewSet(_SeenViewSet):
    base_queryset = Case.objects.select_related("inspecting", "inspected_unit").order_by("-decided_on", "-id")
    serializer_class = CaseSerializer


class RemedyViewSet(_SeenViewSet):
    base_queryset = Remedy.objects.order_by("deadline", "id")
    serializer_class = RemedySerializer


class EvaluationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(source="round.year", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "round", "year", "form_kind", "organisation", "person", "status", "total", "self_level",
                  "proposed_level", "decided_level", "proposed_on", "decided_on"]


class EvaluationViewSet(_SeenViewSet):
    base_queryset = Evaluation.objects.select_related("round").order_by("id")
    serializer_class = EvaluationSerializer


class AwardSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Award
        fields = ["id", "organisation", "person", "practice", "form", "level", "decision_number", "awarded_on",
                  "issuer"]


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    base_queryset = Award.objects.order_by("-awarded_on", "-id")
    serializer_class = AwardSerializer

"""API for articles and reader feedback, scoped like the pages; every write goes through the services and the
policy. Feedback senders' names and e-mail addresses are never in the API."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import PlausibleDateTime, ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action
from chithi.orgs.models import Organisation

from . import policy, services
from .filters import ArticleFilterSet, FeedbackFilterSet
from .models import Article, Category, Feedback


class ArticleSerializer(ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(active=True))
    public_url = serializers.CharField(source="get_public_url", read_only=True)
    allowed = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "organisation", "category", "title", "slug", "summary", "body", "byline", "source_name",
                  "source_url", "featured", "status", "published_at", "version", "review_note", "public_url",
                  "allowed"]
        read_only_fields = ["status", "published_at", "version", "review_note"]
        extra_kwargs = {"slug": {"required": False, "allow_blank": True, "validators": []}}

    def get_allowed(self, article: Article) -> list[str]:
        return sorted(policy.ARTICLE.allowed(self.context["request"].user, article))


class PublishSerializer(serializers.Serializer):  # type: ignore[type-arg]
    publish_at = PlausibleDateTime(label=_("Publish at"), required=False, allow_null=True)


class StepNoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _valid(serializer: type[serializers.Serializer], request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    """A workflow step's body, checked (a 400 with the field's errors otherwise)."""
    checked = serializer(data=request.data)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Article.objects.select_related("organisation", "category").order_by("-updated_at", "-id")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.create_article(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        data = dict(serializer.validated_data)
        data.pop("organisation", None)  # an article stays with its unit
        serializer.instance = services.update_article(actor=self.request.user,
                                                      article=cast(Article, serializer.instance), **data)

    def _step(self, request: Request, service: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        updated = service(actor=request.user, article=article, **kwargs)
        return Response(ArticleSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, services.submit_article)

    @extend_schema(request=PublishSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        data = _valid(PublishSerializer, request)
        return self._step(request, services.publish_article, publish_at=data.get("publish_at"))

    @extend_schema(request=StepNoteSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_writer(self, request: Request, pk: Any = None) -> Response:
        data = _valid(StepNoteSerializer, request)
        return self._step(request, services.return_article, note=data.get("note", ""))

    @extend_schema(request=StepNoteSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        data = _valid(StepNoteSerializer, request)
        return self._step(request, services.withdraw_article, reason=data.get("note", ""))

    def scope_action(self) -> Action:
        # Workflow steps find the article among what the user sees; the policy decides who may take them.
        return Action.VIEW if self.action in ("submit", "publish", "return_to_writer", "withdraw") \
            else super().scope_action()


class FeedbackSerializer(ModelSerializer):
    public_name = serializers.CharField(read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "article", "public_name", "message", "status", "answer", "answered_at", "created_at"]
        read_only_fields = fields


class FeedbackAnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.CharField(max_length=3000)


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    base_queryset = Feedback.objects.select_related("article", "article__organisation").order_by("-created_at", "-id")
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet

    def _step(self, request: Request, service: Any, **kwargs: Any) -> Response:
        updated = service(actor=request.user, feedback=self.get_object(), **kwargs)
        return Response(FeedbackSerializer(updated).data)

    @extend_schema(request=None, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, services.approve_feedback)

    @extend_schema(request=StepNoteSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        data = _valid(StepNoteSerializer, request)
        return self._step(request, services.reject_feedback, reason=data.get("note", ""))

    @extend_schema(request=FeedbackAnswerSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        data = _valid(FeedbackAnswerSerializer, request)
        return self._step(request, services.answer_feedback, answer=data["answer"])

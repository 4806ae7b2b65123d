"""The public site: news articles (tin bài) with categories, versions and images; reader feedback (phản hồi);
and the index behind the one public search."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.models import AttachmentBase, TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet
from chithi.core.search import SearchIndexed
from chithi.core.text import split_name


class Category(TimeStampedModel):
    """A section of the news (Chỉ thị 05, good practices, dialogues…); each has its page and its feeds."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:category", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("article", "Draft")
    REVIEW = "review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ArticleQuerySet(RestrictedQuerySet["Article"]):
    def live(self, now: Any = None) -> ArticleQuerySet:
        """What visitors see: published, and its publication time has come (a scheduled one waits)."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())


class Article(SearchIndexed, TimeStampedModel):
    """A news article of a unit. Published with a time: a future time is a scheduled publication."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="articles")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="articles")
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body"), blank=True)  # sanitised HTML (services.sanitise)
    body_text = models.TextField(editable=False, blank=True)  # the body as plain text: search, feeds, snippets
    byline = models.CharField(_("author"), max_length=150, blank=True)
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    lead_image = models.ForeignKey("ArticleImage", verbose_name=_("lead image"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    issue_category = models.ForeignKey(
        "dialogues.IssueCategory", verbose_name=_("related issue category"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The page lists recent answered issues of this category."))
    practices = models.ManyToManyField("practices.Practice", verbose_name=_("related practices"), blank=True,
                                       related_name="articles")
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("title", "summary", "body_text", "byline", "category__name", "organisation__name")

    objects = ArticleQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_live"),
            models.Index(fields=["category", "status", "-published_at"], name="article_live_category"),
            models.Index(fields=["featured", "status", "-published_at"], name="article_featured"),
            models.Index(fields=["organisation", "status"], name="article_unit_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("portal:article", args=[self.slug])

    @property
    def is_scheduled(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and bool(self.published_at and self.published_at > timezone.now())

    @property
    def is_live(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and not self.is_scheduled


class OfArticle(models.Model):
    """Something that belongs to an article (a version, a picture, feedback): visible where the article's unit is."""

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "article__organisation__path"

    class Meta:
        abstract = True


class ArticleVersion(OfArticle):
    """The text of an article as one save left it: an edited published article keeps its earlier versions."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body"), blank=True)
    # What the sanitiser took out of the body as it was typed, so the editor sees it.
    removed = models.TextField(_("removed from the body"), blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_once")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleImage(OfArticle, AttachmentBase):
    """A picture of an article, re-encoded on upload (no EXIF, no GPS) and kept in widths fit for a phone."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    alt = models.CharField(_("text alternative"), max_length=300,
                           help_text=_("What the picture shows, for readers who cannot see it."))
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("photo credit"), max_length=150, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # {"480": "portal/2026/11/ab12-480.jpg", …}: the widths made at upload, for srcset.
    renditions = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.alt

    @property
    def widths(self) -> list[int]:
        return sorted(int(w) for w in self.renditions)

    def url(self, width: int | None = None) -> str:
        chosen = width if width is not None and str(width) in self.renditions else max(self.widths or [0])
        return reverse("portal:image", args=[self.pk, chosen])

    @property
    def thumb_url(self) -> str:
        return self.url(min(self.widths or [0]))

    def open_width(self, width: int) -> Any:
        from django.core.files.storage import default_storage

        return default_storage.open(self.renditions[str(width)], "rb")

    def srcset(self) -> str:
        return ", ".join(f"{self.url(w)} {w}w" for w in self.widths)


class FeedbackStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    ANSWERED = "answered", _("Answered")
    REJECTED = "rejected", _("Rejected")


PUBLIC_FEEDBACK = (FeedbackStatus.PUBLISHED, FeedbackStatus.ANSWERED)


class Feedback(OfArticle, TimeStampedModel):
    """A reader's message under an article. Name and e-mail are private: the page shows the given name only
    (or "Bạn đọc" when the reader asked), once an editor has approved it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(_("full name"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=200)
    show_name = models.BooleanField(_("show my given name"), default=True)
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=16, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)  # why it was rejected (staff only)

    class Meta:
        verbose_name = _("reader feedback")
        verbose_name_plural = _("reader feedback")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="feedback_article"),
                   models.Index(fields=["status", "created_at"], name="feedback_queue")]

    def __str__(self) -> str:
        return f"{self.public_name}: {self.message[:40]}"

    @property
    def public_name(self) -> str:
        given = split_name(self.name)[1] if self.show_name else ""
        return given or str(_("Reader"))

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_FEEDBACK


class PublicDocument(models.Model):
    """One row per thing the public search finds (an article, a practice, an answered issue), built from what
    the rooms publish (core.rooms PublicSource) and kept in step on every save. Only public text is here."""

    kind = models.CharField(max_length=40)  # the source model's label, e.g. "dialogues.issue"
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # Folded words (no marks, lower case, letters and digits only, one space apart): "every query word begins
    # a word" is the same test on SQLite (LIKE) and PostgreSQL (full-text prefix match, GIN-indexed).
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    label = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(db_index=True)
    indexed_at = models.DateTimeField(auto_now=True)  # a rebuild drops the rows it did not rewrite

    class Meta:
        verbose_name = _("public search entry")
        verbose_name_plural = _("public search index")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="public_document_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"

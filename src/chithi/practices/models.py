"""Good-practice models (mô hình): practices, their indicators and results, replications, commendations,
photos, documents and links to other records (e.g. plan tasks) they serve as evidence for.

"Practice" is the code word for a mô hình: "model" would clash with Django models.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import AttachmentBase, TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet, path_q
from chithi.core.search import SearchIndexed
from chithi.oversight.models.awards import Award, AwardLevel

LINEAGE_STEP = 10  # digits per level of the replication tree: "0000000012/0000000034/"


class PracticeField(models.TextChoices):
    LAW = "law", _("Law dissemination")
    SECURITY = "security", _("Security and order")
    TRAFFIC = "traffic", _("Traffic safety")
    ECONOMY = "economy", _("Economic development")
    WELFARE = "welfare", _("Social welfare")
    EDUCATION = "education", _("Education")
    PARTY = "party", _("Party building")
    CULTURE = "culture", _("Culture")
    ENVIRONMENT = "environment", _("Environment and urban order")
    ADMINISTRATION = "administration", _("Administrative reform")


class PracticeStatus(models.TextChoices):
    PILOTING = "piloting", _("Piloting")
    RUNNING = "running", _("Running")
    REPLICATED = "replicated", _("Replicated")
    STOPPED = "stopped", _("Stopped")


class PracticeQuerySet(RestrictedQuerySet["Practice"]):
    def public(self) -> PracticeQuerySet:
        return self.filter(is_public=True)

    def in_field(self, field: str) -> PracticeQuerySet:
        return self.filter(fields__contains=f",{field},")

    def lineage_of(self, practice: Practice) -> PracticeQuerySet:
        """The practice's whole replication tree, from its origin down: one indexed prefix filter."""
        return self.filter(lineage_path__startswith=practice.lineage_root_path)

    def descendants_of(self, practice: Practice) -> PracticeQuerySet:
        return self.filter(lineage_path__startswith=practice.lineage_path).exclude(pk=practice.pk)


class Practice(SearchIndexed, TimeStampedModel):
    """A good practice run by one unit. A replication is itself a practice of the adopting unit, so it
    carries its own indicators, results and photos; `lineage_path` places it in its origin's tree."""

    name = models.CharField(_("name"), max_length=255)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="practices"
    )
    # The chosen fields as ",law,security,": one LIKE filter on SQLite and PostgreSQL alike.
    fields = models.CharField(_("fields"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=16, choices=PracticeStatus.choices,
                              default=PracticeStatus.RUNNING)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public showcase, without internal data.")
    )
    public_names = models.TextField(
        _("names published"), blank=True,
        help_text=_("People or groups the unit chose to name on the public showcase; nothing else personal "
                    "is published."),
    )
    # Materialised path of the replication tree (see LINEAGE_STEP): subtree and whole lineage are
    # each one prefix filter, and a cycle is a prefix test.
    lineage_path = models.CharField(max_length=255, unique=True, editable=False)
    lineage_depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # How many other units run a replication of it, directly or through replications of replications
    # (stopped ones do not count). Kept by the services: the registry ranks by it on every page view,
    # where a correlated count per row would be quadratic.
    reach = models.PositiveIntegerField(_("units reached"), default=0, editable=False)
    name_key = models.CharField(max_length=255, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("name", "description", "organisation__name", "organisation__short_name", "field_labels")
    sort_key = models.CharField(max_length=600, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = PracticeQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["sort_key", "id"]
        indexes = [
            models.Index(fields=["lineage_path"], name="practice_lineage_prefix",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["is_public", "sort_key"]),
            models.Index(fields=["-reach", "sort_key"], name="practice_by_reach"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name_key"], name="practice_name_once_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("practices:public_detail", args=[self.pk])

    @property
    def field_list(self) -> list[str]:
        return [f for f in self.fields.split(",") if f]

    def field_labels(self) -> list[str]:
        labels = dict(PracticeField.choices)
        return [str(labels.get(f, f)) for f in self.field_list]

    @property
    def lineage_root_path(self) -> str:
        return self.lineage_path[: LINEAGE_STEP + 1]

    @property
    def is_origin(self) -> bool:
        return self.lineage_depth == 0

    def public_name_list(self) -> list[str]:
        return [line.strip() for line in self.public_names.splitlines() if line.strip()]


class Indicator(TimeStampedModel):
    """What a practice measures: a name, a unit of measure and a target per reporting period."""

    practice = models.ForeignKey(Practice, verbose_name=_("practice"), on_delete=models.CASCADE,
                                 related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    target = models.DecimalField(_("target per period"), max_digits=16, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "practice__organisation__path"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["practice", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "name"], name="indicator_name_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


class Result(TimeStampedModel):
    """The actual figure of one indicator over one period."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="results")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period"), max_length=60, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "indicator__practice__organisation__path"

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["indicator", "period_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start", "period_end"], name="result_once_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="result_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} — {self.period_label or self.period_start}"

    @property
    def percent_of_target(self) -> int | None:
        target = self.indicator.target
        if not target:
            return None
        return int(self.actual * 100 / target)


class Replication(TimeStampedModel):
    """One unit adopting another unit's practice. The adopting side is a practice of its own (one origin
    each, so replications form a tree)."""

    origin = models.ForeignKey(Practice, verbose_name=_("origin practice"), on_delete=models.PROTECT,
                               related_name="replications")
    adopting = models.OneToOneField(Practice, verbose_name=_("adopting practice"), on_delete=models.CASCADE,
                                    related_name="replicated_from")
    adopted_on = models.DateField(_("adopted on"))
    adaptation_notes = models.TextField(_("adaptation notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        ordering = ["adopted_on", "id"]

    def __str__(self) -> str:
        return f"{self.origin} → {self.adopting.organisation}"

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        # Either side in scope: the origin unit follows its spread, the adopting unit its source.
        return path_q("origin__organisation__path", paths) | path_q("adopting__organisation__path", paths)


# Commendations are kept in one place for units, people and practices: the oversight room's Award (issue 12).
# The names stay here for this room's code; a practice's commendations are `practice.awards`.
Commendation = Award
CommendationLevel = AwardLevel


class _PracticeFile(AttachmentBase):
    """A file of a practice: seen by whoever sees the practice; shown publicly only when both are public."""

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "practice__organisation__path"

    class Meta:
        abstract = True
        ordering = ["id"]


class PracticePhoto(_PracticeFile):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    is_public = models.BooleanField(_("show on the showcase"), default=True)

    class Meta(_PracticeFile.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class PracticeDocument(_PracticeFile):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300, blank=True)
    is_public = models.BooleanField(_("show on the showcase"), default=False)

    class Meta(_PracticeFile.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class EvidenceLink(TimeStampedModel):
    """A practice offered as evidence for a record of another room, a plan task first of all: of a kind a room
    declares linkable (RoomConfig.linkable). Generic (content type and id) so this room does not import the
    campaigns room; the task's page shows the links pointing at it through this room's panel (core.panels)."""

    practice = models.ForeignKey(Practice, verbose_name=_("practice"), on_delete=models.CASCADE,
                                 related_name="evidence_links")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "practice__organisation__path"

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [models.UniqueConstraint(fields=["practice", "target_type", "target_id"],
                                               name="evidence_link_once")]

    def __str__(self) -> str:
        return f"{self.practice} → {self.target_type.model} #{self.target_id}"

"""The annual evaluation and classification (đánh giá, xếp loại chất lượng): a frame of criteria (data, so next
year's guidance is a new frame, not a release), a round opened at a level with a deadline, and one evaluation
per party organisation (collective form) or member (forms 2A / 2B / 2C) with a score per criterion."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import Action, RestrictedQuerySet

__all__ = [
    "LEVEL_ORDER", "Criterion", "CriterionGroup", "Evaluation", "EvaluationStatus", "EvidenceSource", "FormKind",
    "Frame", "Level", "Round", "RoundStatus", "Score",
]


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    DONE = "done", _("Completed tasks")
    NOT_DONE = "not_done", _("Did not complete tasks")


LEVEL_ORDER = [Level.EXCELLENT, Level.GOOD, Level.DONE, Level.NOT_DONE]


class FormKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective (party organisation)")
    LEADER = "2A", _("2A — leaders and managers")
    CADRE = "2B", _("2B — cadres, civil servants, employees")
    MEMBER = "2C", _("2C — members outside the system")


class CriterionGroup(models.TextChoices):
    COMMON = "common", _("Common criteria")
    TASKS = "tasks", _("Task results")


class EvidenceSource(models.TextChoices):
    """Which figures of the product are shown beside a criterion."""

    NONE = "", _("None")
    TASKS = "tasks", _("Plan tasks")
    MEETINGS = "meetings", _("Cell meetings")
    COMMITMENT = "commitment", _("Commitment and its review")
    PRACTICES = "practices", _("Good practices")
    ISSUES = "issues", _("Citizens' issues")
    OVERSIGHT = "oversight", _("Inspection findings and remedial work")
    DISCIPLINE = "discipline", _("Discipline")
    COMMENDATIONS = "commendations", _("Commendations")


class Frame(TimeStampedModel):
    """The scoring frame of a year's guidance: its criteria rows and the rules of its levels.

    `rules` declares, per level, the minimum points and the named conditions that must hold (the conditions are
    computed from the product's facts in services/classify.py); a level whose conditions fail is capped to the
    next one down. Example: {"excellent": {"min": 90, "conditions": ["all_tasks_on_time", ...]}, ...}."""

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=300)
    source = models.CharField(_("source"), max_length=300, blank=True)
    rules = models.JSONField(_("level rules"), default=dict)
    # The cap on the share of "excellent" per unit (e.g. 20%): None = no cap, until a source confirms one.
    excellent_cap_percent = models.PositiveSmallIntegerField(_("cap on the share of excellent (%)"), null=True,
                                                             blank=True)

    objects = RestrictedQuerySet["Frame"].as_manager()

    class Meta:
        verbose_name = _("evaluation frame")
        verbose_name_plural = _("evaluation frames")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return Q()  # guidance, the same for every unit


class Criterion(models.Model):
    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("group"), max_length=8, choices=CriterionGroup.choices)
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    # Which forms the criterion belongs to, as ",collective,2A,": one LIKE filter.
    forms = models.CharField(_("forms"), max_length=60)
    evidence = models.CharField(_("evidence"), max_length=16, choices=EvidenceSource.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["frame", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["frame", "code"], name="oversight_criterion_code_once")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Round(TimeStampedModel):
    """A year's evaluation opened by a level for its subtree, with a deadline."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("opened by"), on_delete=models.PROTECT,
                                     related_name="evaluation_rounds")
    frame = models.ForeignKey(Frame, verbose_name=_("frame"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)

    objects = RestrictedQuerySet["Round"].as_manager()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="oversight_round_once")]

    def __str__(self) -> str:
        return f"{self.year} — {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:round_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        # Opened above: a ward sees the province's round it takes part in, and the round's own subtree.
        from chithi.campaigns.models import upward_scope_q

        return upward_scope_q("organisation__path", paths)


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Self-evaluation")
    PROPOSED = "proposed", _("Proposed by the collective")
    APPROVED = "approved", _("Decided by the level above")


class EvaluationQuerySet(RestrictedQuerySet["Evaluation"]):
    pass


class Evaluation(TimeStampedModel):
    """One collective's or one member's evaluation in a round."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="evaluations")
    form_kind = models.CharField(_("form"), max_length=10, choices=FormKind.choices)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("party organisation"),
                                     on_delete=models.PROTECT, related_name="evaluations")
    person = models.ForeignKey("orgs.Person", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT)
    total = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(0))
    self_level = models.CharField(_("self-assessed level"), max_length=10, choices=Level.choices, blank=True)
    proposed_level = models.CharField(_("level proposed by the collective"), max_length=10, choices=Level.choices,
                                      blank=True)
    decided_level = models.CharField(_("level decided"), max_length=10, choices=Level.choices, blank=True)
    # The facts the level conditions read (tasks on time, late, exceeded; discipline), as they were at the step.
    facts = models.JSONField(default=dict, blank=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = EvaluationQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["organisation__sort_key", "person__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], condition=Q(person__isnull=True),
                                    name="oversight_collective_once"),
            models.UniqueConstraint(fields=["round", "person"], condition=Q(person__isnull=False),
                                    name="oversight_individual_once"),
        ]
        indexes = [models.Index(fields=["round", "organisation"])]

    def __str__(self) -> str:
        return f"{self.person or self.organisation} — {self.round.year}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:evaluation_detail", args=[self.pk])

    @property
    def is_collective(self) -> bool:
        return self.person_id is None

    @property
    def level(self) -> str:
        return self.decided_level or self.proposed_level or self.self_level


class Score(models.Model):
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])
    reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="oversight_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"

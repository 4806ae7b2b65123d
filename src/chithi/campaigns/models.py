"""Directives, annual themes and breakthroughs, cascaded implementation plans, their tasks, updates and evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import AttachmentBase, TimeStampedModel
from chithi.core.permissions import Action, RestrictedQuerySet, path_q
from chithi.core.search import SearchIndexed
from chithi.orgs.models import PATH_STEP


def ancestor_paths(path: str) -> list[str]:
    """Paths of every proper ancestor of `path` ("00000001/00000002/" → ["00000001/"])."""
    step = PATH_STEP + 1
    return [path[: i + step] for i in range(0, len(path) - step, step)]


def upward_scope_q(field: str, paths: list[str]) -> Q:
    """Objects owned by a unit in the scope or by one of its ancestors.

    Directives and themes are set above and read below: a ward secretary must read the city's theme
    that their own plan implements, though the city's plans and tasks stay out of their scope.
    """
    ancestors = sorted({a for p in paths for a in ancestor_paths(p)})
    query = path_q(field, paths)
    if ancestors:
        query |= Q(**{f"{field}__in": ancestors})
    return query


class FollowedReadsQuerySet[M: models.Model](RestrictedQuerySet[M]):
    """As every scoped model, plus: whoever may read a plan may read the theme it follows and that theme's
    directive, with its documents, wherever their owner stands now. Upward reading covers this until the tree
    changes: a ward moved under the province by the 2025 reform no longer stands below the city committee that
    set its 2023–2025 themes, yet its plans carry them out. Reading only; acting needs the owner's unit
    (policy.py). `plan_ref`: the Plan lookup that names this model's row; `own_ref`: the column it matches."""

    plan_ref = "theme_id"
    own_ref = "pk"

    def scope_filter(self, paths: list[str], action: Action) -> Q:
        own = super().scope_filter(paths, action)
        if action != Action.VIEW:
            return own
        followed = Plan.objects.filter(path_q("organisation__path", paths)).values(self.plan_ref)
        return own | Q(**{f"{self.own_ref}__in": followed})


class ThemeQuerySet(FollowedReadsQuerySet["Theme"]):
    pass


class DirectiveQuerySet(FollowedReadsQuerySet["Directive"]):
    plan_ref = "theme__directive_id"


class DirectiveAttachmentQuerySet(FollowedReadsQuerySet["DirectiveAttachment"]):
    plan_ref = "theme__directive_id"
    own_ref = "directive_id"


class DirectiveKind(models.TextChoices):
    DIRECTIVE = "directive", _("Directive")
    RESOLUTION = "resolution", _("Resolution")
    CONCLUSION = "conclusion", _("Conclusion")
    PLAN = "plan", _("Plan document")
    OTHER = "other", _("Other document")


class Directive(SearchIndexed, TimeStampedModel):
    """A directive or resolution (Chỉ thị 05-CT/TW, Nghị quyết TW4 khóa XII) recorded by a unit."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                     related_name="directives")
    kind = models.CharField(_("kind"), max_length=16, choices=DirectiveKind.choices, default=DirectiveKind.DIRECTIVE)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=200)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("number", "title", "issuer", "summary")

    objects = DirectiveQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "number"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number", "issued_on"],
                                               name="campaigns_directive_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:directive_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return upward_scope_q("organisation__path", paths)


class DirectiveAttachment(AttachmentBase):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")

    objects = DirectiveAttachmentQuerySet.as_manager()
    scope_path_field = "directive__organisation__path"

    class Meta:
        verbose_name = _("directive document")
        verbose_name_plural = _("directive documents")
        ordering = ["created_at", "id"]

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return upward_scope_q("directive__organisation__path", paths)


class ThemeKind(models.TextChoices):
    THEME = "theme", _("Annual theme")
    BREAKTHROUGH = "breakthrough", _("Breakthrough task")


class Theme(SearchIndexed, TimeStampedModel):
    """The year's theme (chủ đề năm) or breakthrough task (khâu đột phá) a committee sets under a directive."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="themes")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    directive = models.ForeignKey(Directive, verbose_name=_("directive"), on_delete=models.PROTECT,
                                  related_name="themes")
    kind = models.CharField(_("kind"), max_length=16, choices=ThemeKind.choices, default=ThemeKind.THEME)
    text = models.TextField(_("text"))
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("text",)

    objects = ThemeQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-year", "kind", "id"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.year}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:theme_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return upward_scope_q("organisation__path", paths)


class PlanQuerySet(RestrictedQuerySet["Plan"]):
    def open(self) -> PlanQuerySet:
        return self.filter(closed_on__isnull=True)


class Plan(SearchIndexed, TimeStampedModel):
    """A unit's implementation plan for a theme; a cascade gives each sub-unit its own plan (parent set)."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="plans")
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="plans")
    parent = models.ForeignKey("self", verbose_name=_("issued from plan"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    # The theme's year, kept on the plan so the roll-up filters by year without a join.
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("title", "number")

    objects = PlanQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "organisation__path", "id"]
        # One plan per unit and theme: this is what makes a second cascade find, not duplicate.
        constraints = [
            models.UniqueConstraint(fields=["organisation", "theme"], name="campaigns_plan_once_per_theme"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaigns_plan_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:plan_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


class InChargeReadsQuerySet[M: models.Model](RestrictedQuerySet[M]):
    """As every scoped model, plus: a unit in charge of a task of a higher level's plan may read that task, its
    timeline and its evidence, and so may whoever has a person in charge (a current member) in their scope. The
    reminders send them there, and the unit does the work. Reading only: the plan stays the issuing unit's, and
    acting on the task needs its unit (policy.py). `task_ref`: this model's column naming the task."""

    task_ref = "pk"

    def scope_filter(self, paths: list[str], action: Action) -> Q:
        own = super().scope_filter(paths, action)
        if action != Action.VIEW:
            return own
        from chithi.orgs.models import Membership

        units = PlanTask.owner_units.through.objects.filter(path_q("organisation__path", paths))
        members = Membership.objects.filter(path_q("organisation__path", paths), until__isnull=True)
        people = PlanTask.owner_people.through.objects.filter(person_id__in=members.values("person_id"))
        return (own | Q(**{f"{self.task_ref}__in": units.values("plantask_id")})
                | Q(**{f"{self.task_ref}__in": people.values("plantask_id")}))


class TaskPartQuerySet[M: models.Model](InChargeReadsQuerySet[M]):
    task_ref = "task_id"


class PlanTaskQuerySet(InChargeReadsQuerySet["PlanTask"]):
    def open(self) -> PlanTaskQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None) -> PlanTaskQuerySet:
        return self.open().filter(deadline__lt=today or dt.date.today())


class PlanTask(SearchIndexed, TimeStampedModel):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    owner_people = models.ManyToManyField("orgs.Person", verbose_name=_("people in charge"), blank=True,
                                          related_name="plan_tasks")
    owner_units = models.ManyToManyField("orgs.Organisation", verbose_name=_("units in charge"), blank=True,
                                         related_name="owned_plan_tasks")
    deadline = models.DateField(_("deadline"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal(1),
                                 validators=[MinValueValidator(Decimal(0))])
    target = models.CharField(_("target"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    required = models.BooleanField(_("required by the higher level"), default=False)
    source_task = models.ForeignKey("self", verbose_name=_("from the higher-level task"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="cascaded")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("title", "target")

    objects = PlanTaskQuerySet.as_manager()
    scope_path_field = "plan__organisation__path"

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["plan", "status"]), models.Index(fields=["status", "deadline"]),
            # The roll-up's "most overdue" list walks open tasks by deadline and stops at 50: with the two open
            # statuses in one partial index it is a walk, not a sort of every overdue task in the country
            # (489 ms → 2 ms on the national data).
            models.Index(fields=["deadline", "id"], condition=Q(status__in=OPEN_STATUSES),
                         name="campaigns_task_open_deadline"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "source_task"], condition=Q(source_task__isnull=False),
                                    name="campaigns_task_cascaded_once"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="campaigns_task_progress_0_100"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="campaigns_task_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:task_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or dt.date.today())


class TaskUpdate(models.Model):
    """One entry in a task's timeline: who reported what progress, when, with what note."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)

    objects = TaskPartQuerySet.as_manager()
    scope_path_field = "task__plan__organisation__path"

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.progress}%"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    NOTE = "note", _("Note")


class TaskEvidence(AttachmentBase):
    """Evidence that a task was carried out: a document or photo, a link, or a written note."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    # Links and notes carry no file; the base class's file is optional here.
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = TaskPartQuerySet.as_manager()
    scope_path_field = "task__plan__organisation__path"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or self.url or self.note[:60]


# --- roll-up totals (totals.py keeps them; the roll-up reads them) -------------------------------------------


class PlanTotals(models.Model):
    """What one plan adds to the roll-up, and where it was added: the unit and theme it was counted under, so a
    plan that moves to a successor is taken out of the old unit's sums and put into the new one's."""

    plan = models.OneToOneField(Plan, primary_key=True, on_delete=models.CASCADE, related_name="totals")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    # progress.py's rule, in millionths of a percent: integers add up exactly on every engine.
    progress_e6 = models.BigIntegerField(default=0)
    tasks = models.IntegerField(default=0)  # live (not cancelled) tasks
    done = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)  # open tasks due before RollupClock.as_of

    class Meta:
        verbose_name = _("plan totals")
        verbose_name_plural = _("plan totals")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.progress_e6 / 1_000_000:.1f}%"


class UnitTotals(models.Model):
    """The sums of a unit's subtree for one theme (its own plans and every plan below it), kept up the path."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="rollup_totals")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()  # the theme's year: the roll-up filters by it without a join
    plans = models.IntegerField(default=0)
    progress_e6 = models.BigIntegerField(default=0)  # the sum of the plans' progress (millionths)
    tasks = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    own_plans = models.IntegerField(default=0)
    own_progress_e6 = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("unit totals")
        verbose_name_plural = _("unit totals")
        constraints = [models.UniqueConstraint(fields=["organisation", "theme"], name="campaigns_unittotals_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.theme_id}: {self.plans}"


class RollupClock(models.Model):
    """One row: the day the stored overdue counts are counted against. The roll-up corrects them for the days
    between this one and its own `today` (normally none: `campaigns_totals --advance` moves it each night)."""

    as_of = models.DateField()

    class Meta:
        verbose_name = _("roll-up clock")
        verbose_name_plural = _("roll-up clock")

    def __str__(self) -> str:
        return str(self.as_of)

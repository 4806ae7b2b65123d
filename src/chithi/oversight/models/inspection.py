"""Inspection and supervision (kiểm tra, giám sát): a unit's yearly programme, the cases its items become,
the recommendations that become remedial work in the inspected unit, and discipline records.

A case belongs to two units: the inspecting unit (its programme, its register of decisions) and the
inspected unit. Both see it; nobody else does, and never publicly (see `scope_q`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import AttachmentBase, TimeStampedModel
from chithi.core.permissions import Action, RestrictedQuerySet, path_q

__all__ = [
    "REGISTER_OF", "Case", "CaseKind", "CaseStatus", "Discipline", "DisciplineForm", "Programme", "ProgrammeItem",
    "Register", "Remedy", "RemedyStatus", "SelfReportFile",
]


def either_side_q(prefix: str, paths: list[str]) -> Q:
    """A row of a case is seen from either side: the inspecting unit follows its programme, the inspected unit
    sees its own cases. `prefix` leads from the row to its case ("" for the case itself)."""
    return path_q(f"{prefix}inspecting__path", paths) | path_q(f"{prefix}inspected_unit__path", paths)


class CaseKind(models.TextChoices):
    REGULAR_SUPERVISION = "regular_supervision", _("Regular supervision")
    THEMATIC_SUPERVISION = "thematic_supervision", _("Thematic supervision")
    SIGNS_OF_VIOLATION = "signs_of_violation", _("Inspection on signs of violation")
    DIRECTIVE = "directive", _("Inspection of a directive's implementation")


class Register(models.TextChoices):
    """Decisions are numbered in two registers per unit and year: supervision and inspection."""

    SUPERVISION = "supervision", _("Supervision")
    INSPECTION = "inspection", _("Inspection")


REGISTER_OF = {
    CaseKind.REGULAR_SUPERVISION: Register.SUPERVISION,
    CaseKind.THEMATIC_SUPERVISION: Register.SUPERVISION,
    CaseKind.SIGNS_OF_VIOLATION: Register.INSPECTION,
    CaseKind.DIRECTIVE: Register.INSPECTION,
}


class Programme(TimeStampedModel):
    """A unit's yearly inspection and supervision programme (chương trình kiểm tra, giám sát)."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("inspecting unit"),
                                     on_delete=models.PROTECT, related_name="oversight_programmes")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("document number"), max_length=60, blank=True)

    objects = RestrictedQuerySet["Programme"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("inspection programme")
        verbose_name_plural = _("inspection programmes")
        ordering = ["-year", "organisation__sort_key"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="oversight_programme_once")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("oversight:programme_detail", args=[self.pk])


class ProgrammeItem(TimeStampedModel):
    """One line of the programme: who is inspected, on what, in which quarter, and which kind of case."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    target_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("inspected unit"), on_delete=models.PROTECT,
                                    related_name="+")
    target_person = models.ForeignKey("orgs.Person", verbose_name=_("inspected member"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=CaseKind.choices)
    content = models.TextField(_("content"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))

    objects = RestrictedQuerySet["ProgrammeItem"].as_manager()
    scope_path_field = "programme__organisation__path"

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["quarter", "id"]
        constraints = [models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4),
                                              name="oversight_item_quarter")]

    def __str__(self) -> str:
        return f"Q{self.quarter}: {self.content[:80]}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Under way")
    CONCLUDED = "concluded", _("Concluded")
    CLOSED = "closed", _("Closed")


class CaseQuerySet(RestrictedQuerySet["Case"]):
    pass


class Case(TimeStampedModel):
    """One inspection or supervision, from the decision to the closing of its remedial work."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    item = models.OneToOneField(ProgrammeItem, verbose_name=_("programme item"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="case")
    inspecting = models.ForeignKey("orgs.Organisation", verbose_name=_("inspecting unit"),
                                   on_delete=models.PROTECT, related_name="oversight_cases_led")
    inspected_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("inspected unit"),
                                       on_delete=models.PROTECT, related_name="oversight_cases")
    inspected_person = models.ForeignKey("orgs.Person", verbose_name=_("inspected member"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="oversight_cases")
    kind = models.CharField(_("kind"), max_length=24, choices=CaseKind.choices)
    register = models.CharField(_("register"), max_length=12, choices=Register.choices, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    signatory = models.CharField(_("signed by"), max_length=200)
    subject = models.CharField(_("content"), max_length=500)
    team = models.ManyToManyField("orgs.Person", verbose_name=_("team members"), blank=True, related_name="+")
    period_start = models.DateField(_("period under review from"))
    period_end = models.DateField(_("period under review to"))
    starts_on = models.DateField(_("work starts on"))
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"))
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    self_report = models.TextField(_("self-report of the inspected body"), blank=True)
    self_report_on = models.DateField(_("self-report received on"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Figures pulled from the other rooms for the period (Chỉ thị 05 implementation): kept as they were when
    # pulled, so the case's record does not move when the rooms' data moves later.
    evidence = models.JSONField(_("evidence from the product"), default=dict, blank=True)
    evidence_pulled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection case")
        verbose_name_plural = _("inspection cases")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inspecting", "register", "year", "decision_number"],
                                    name="oversight_decision_once_per_register"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="oversight_case_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} — {self.inspected_person or self.inspected_unit}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:case_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return either_side_q("", paths)

    @property
    def due_on(self) -> dt.date:
        return self.starts_on + dt.timedelta(days=self.time_limit_days + self.extension_days)


class SelfReportFile(AttachmentBase):
    """The inspected body's self-report as uploaded (a signed scan, a Word file), besides or instead of the text
    written in the product. Checked by core.uploads like every upload; served only through the case's scope
    (views.inspection.self_report_file), never publicly."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="self_report_files")

    objects = RestrictedQuerySet["SelfReportFile"].as_manager()

    class Meta:
        verbose_name = _("self-report file")
        verbose_name_plural = _("self-report files")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("oversight:self_report_file", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return either_side_q("case__", paths)


class RemedyStatus(models.TextChoices):
    OPEN = "open", _("To do")
    REPORTED = "reported", _("Reported done")
    VERIFIED = "verified", _("Verified and closed")


class RemedyQuerySet(RestrictedQuerySet["Remedy"]):
    def open(self) -> RemedyQuerySet:
        return self.exclude(status=RemedyStatus.VERIFIED)

    def overdue(self, today: dt.date) -> RemedyQuerySet:
        return self.open().filter(deadline__lt=today)


class Remedy(TimeStampedModel):
    """A recommendation of a case and the remedial work it becomes in the inspected unit: the owner reports it
    done, the inspecting unit verifies and closes it."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    recommendation = models.TextField(_("recommendation"))
    owner_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("unit in charge"), on_delete=models.PROTECT,
                                   related_name="+")
    owner_person = models.ForeignKey("orgs.Person", verbose_name=_("person in charge"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=RemedyStatus.choices, default=RemedyStatus.OPEN)
    report = models.TextField(_("report of what was done"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    objects = RemedyQuerySet.as_manager()

    class Meta:
        verbose_name = _("remedial work")
        verbose_name_plural = _("remedial work")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.recommendation[:80]

    def get_absolute_url(self) -> str:
        return reverse("oversight:case_detail", args=[self.case_id]) + f"#remedy-{self.pk}"

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return either_side_q("case__", paths)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status != RemedyStatus.VERIFIED and self.deadline < (today or dt.date.today())


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISMISSAL = "dismissal", _("Dismissal from office")
    EXPULSION = "expulsion", _("Expulsion")
    DISSOLUTION = "dissolution", _("Dissolution")


class Discipline(TimeStampedModel):
    """A discipline decision on a member or a party organisation: the evaluation reads it (a capping
    condition of the levels)."""
    read_action = Action.EXPORT  # read by the authorised roles only (policy.SEE), the change log too

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("party organisation"),
                                     on_delete=models.PROTECT, related_name="oversight_disciplines")
    person = models.ForeignKey("orgs.Person", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="oversight_disciplines")
    form = models.CharField(_("form of discipline"), max_length=12, choices=DisciplineForm.choices)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    case = models.ForeignKey(Case, verbose_name=_("inspection case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="disciplines")
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = RestrictedQuerySet["Discipline"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.person or self.organisation}"

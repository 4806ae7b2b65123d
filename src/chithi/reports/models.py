"""Periodic reports: a unit opens a reporting round for its sub-units, each sub-unit drafts and submits its report
(figures filled from the product, narrative sections I–V of the party report skeleton), the parent accepts or
returns it and compiles its own report; document numbers are registered per type and term and never reused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.models import AttachmentBase, TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Six-month review (sơ kết 6 tháng)")
    ANNUAL = "annual", _("Annual review (tổng kết năm)")
    DIRECTIVE_05 = "directive_05", _("Thematic report on Directive 05")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reporting round", "Open")
    CLOSED = "closed", pgettext_lazy("reporting round", "Closed")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
    RETURNED = "returned", pgettext_lazy("report", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")
    SUPERSEDED = "superseded", pgettext_lazy("report", "Superseded by a correction")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)

# The narrative skeleton of a party report (sơ kết / tổng kết): every section must be written before submitting.
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("I", _("Leadership and direction")),
    ("II", _("Results")),
    ("III", _("Overall assessment: strengths, limitations, causes, lessons")),
    ("IV", _("Tasks and solutions for the next period")),
    ("V", _("Proposals")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)


class Round(TimeStampedModel):
    """A reporting round a unit opens for its direct sub-units."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("opened by"), on_delete=models.PROTECT,
                                     related_name="report_rounds")
    kind = models.CharField(_("kind of report"), max_length=16, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                   name="reports_round_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:round_detail", args=[self.pk])


class ReportQuerySet(RestrictedQuerySet["Report"]):
    def current(self) -> ReportQuerySet:
        return self.exclude(status=ReportStatus.SUPERSEDED)


class Report(TimeStampedModel):
    """One unit's report in a round (a sub-unit's, or the opening unit's own compiled report), one row per version:
    an accepted version is frozen and a correction is a new version with its reason."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="reports")
    compiled = models.BooleanField(_("compiled by the opening unit"), default=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.CharField(_("summary line"), max_length=300, blank=True)
    # {"tasks_total": 12, ...}: computed from the product at the period's cut-off (reports.figures).
    figures = models.JSONField(_("figures"), default=dict)
    # {"tasks_done": {"value": 10, "reason": "..."}}: a figure typed over a computed one, always with its reason.
    overrides = models.JSONField(_("corrected figures"), default=dict, blank=True)
    sections = models.JSONField(_("sections"), default=dict)  # {"I": "...", ..., "V": "..."}
    place = models.CharField(_("place"), max_length=100, blank=True)
    signer_title = models.CharField(_("signs as"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_comment = models.TextField(_("comment when returned"), blank=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    document = models.FileField(_("document (DOCX)"), upload_to="reports/%Y/", blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["round", "organisation__sort_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation", "version"], name="reports_report_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round.title} — {self.organisation.name}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    def value(self, key: str) -> Any:
        """A figure as reported: the corrected value where one was typed, the computed one otherwise."""
        if key in self.overrides:
            return self.overrides[key]["value"]
        return self.figures.get(key)

    def reported_figures(self) -> dict[str, Any]:
        return {key: self.value(key) for key in {*self.figures, *self.overrides}}

    def is_late(self, today: dt.date) -> bool:
        return self.status in EDITABLE_STATUSES and self.round.deadline < today


class DocumentNumber(models.Model):
    """A registered document number ("Số 12-BC/ĐU"): unique per issuing unit, document type and term, never
    reused (a number stays registered even when the report it was given to is corrected)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("document type"), max_length=8, default="BC")
    term = models.CharField(_("term"), max_length=9)  # "2025-2030"
    number = models.PositiveIntegerField(_("number"))
    report = models.OneToOneField(Report, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="document_number")
    registered_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        ordering = ["organisation", "doc_type", "term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "doc_type", "term", "number"],
                                    name="reports_number_once_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.number}-{self.doc_type}"


class ReportAttachment(AttachmentBase):
    """A file a unit attaches to its report before submitting it (a table, a signed scan, a photo): checked on
    upload by core.uploads, served only through the report's scoped view."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")

    objects = RestrictedQuerySet["ReportAttachment"].as_manager()
    scope_path_field = "report__organisation__path"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

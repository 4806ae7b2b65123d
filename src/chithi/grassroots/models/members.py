"""Members' party standing (official, probationary, exempt) and their yearly commitment, quarterly
self-reflection and the cell's year-end review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet, path_q

__all__ = ["Commitment", "CommitmentGrade", "CommitmentItem", "PartyStanding", "Reflection", "SelfAssessment"]


class PartyStanding(TimeStampedModel):
    """What the orgs room's Person does not hold: the day a member became official and an exemption from party
    work and meetings (miễn công tác và sinh hoạt đảng), both dated. Proposed for orgs.Person in the report."""

    person = models.OneToOneField("orgs.Person", on_delete=models.CASCADE, related_name="party_standing")
    official_on = models.DateField(_("official member since"), null=True, blank=True,
                                   help_text=_("Empty: the end of the probationary period after joining."))
    exempt_from = models.DateField(_("exempt from party activities from"), null=True, blank=True)
    exempt_until = models.DateField(_("exempt until"), null=True, blank=True)
    exempt_reason = models.CharField(_("reason for the exemption"), max_length=300, blank=True)

    objects = RestrictedQuerySet["PartyStanding"].as_manager()

    class Meta:
        verbose_name = _("party standing")
        verbose_name_plural = _("party standings")

    def __str__(self) -> str:
        return str(self.person_id)

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        from chithi.orgs.models import Membership

        return Q(Exists(Membership.objects.filter(path_q("organisation__path", paths), person=OuterRef("person"))))


class CommitmentGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Carried out well")
    DONE = "done", _("Carried out")
    NOT_DONE = "not_done", _("Not carried out")


class Commitment(TimeStampedModel):
    """A member's yearly commitment (bản cam kết làm theo Bác), kept by their cell; the cell reviews it at the
    year's end and the annual evaluation reads that review."""

    person = models.ForeignKey("orgs.Person", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="commitments")
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("party cell"), on_delete=models.PROTECT,
                                     related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"))
    review_grade = models.CharField(_("cell's review"), max_length=10, choices=CommitmentGrade.choices, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_meeting = models.ForeignKey("grassroots.Meeting", verbose_name=_("reviewed at the meeting"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="commitment_reviews")

    objects = RestrictedQuerySet["Commitment"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-year", "organisation", "person__sort_key"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="grassroots_one_commitment_a_year")]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:commitment_detail", args=[self.pk])


class CommitmentItem(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("what I will do"), max_length=500)
    due_on = models.DateField(_("by when"))

    objects = RestrictedQuerySet["CommitmentItem"].as_manager()
    scope_path_field = "commitment__organisation__path"

    class Meta:
        ordering = ["commitment", "position", "id"]

    def __str__(self) -> str:
        return self.text


class SelfAssessment(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    PARTLY = "partly", _("Partly")
    BEHIND = "behind", _("Behind")


class Reflection(TimeStampedModel):
    """A member's quarterly self-reflection (liên hệ cá nhân) against their commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reflections")
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    text = models.TextField(_("self-reflection"))
    assessment = models.CharField(_("self-assessment"), max_length=10, choices=SelfAssessment.choices)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet["Reflection"].as_manager()
    scope_path_field = "commitment__organisation__path"

    class Meta:
        verbose_name = _("self-reflection")
        verbose_name_plural = _("self-reflections")
        ordering = ["commitment", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "quarter"], name="grassroots_one_reflection_a_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="grassroots_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} Q{self.quarter}"

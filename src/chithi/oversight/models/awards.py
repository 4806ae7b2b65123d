"""Commendations (thi đua, khen thưởng) in one place for units, people and practices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet


class AwardLevel(models.TextChoices):
    UNIT = "unit", _("Grassroots")
    WARD = "ward", _("Ward")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central body")
    STATE = "state", _("State")


class Award(TimeStampedModel):
    """A commendation of a unit, a person or a practice. `organisation` is always set (the unit commended, the
    person's unit, the practice's unit): it scopes the row."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="awards")
    person = models.ForeignKey("orgs.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="awards")
    practice = models.ForeignKey("practices.Practice", verbose_name=_("practice"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="awards")
    form = models.CharField(_("form of commendation"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=AwardLevel.choices)
    decision_number = models.CharField(_("decision number"), max_length=60)
    awarded_on = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)

    objects = RestrictedQuerySet["Award"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-awarded_on", "-id"]
        constraints = [models.CheckConstraint(condition=~(Q(person__isnull=False) & Q(practice__isnull=False)),
                                              name="oversight_award_one_recipient")]

    def __str__(self) -> str:
        return f"{self.form} — {self.decision_number}"

    @property
    def recipient(self) -> object:
        return self.person or self.practice or self.organisation

"""Commendations (thi đua, khen thưởng) in one place for units, people and practices. The practices room keeps
its commendation pages and API but stores and reads its rows here (issue 12: "practices' commendations move
here"); migration 0003 copied the rows it held before."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet

__all__ = ["Award", "AwardLevel"]


class AwardLevel(models.TextChoices):
    """The levels of both rooms' commendations before they met here; the practices' "ministry" is `central`."""

    UNIT = "unit", _("Grassroots")
    WARD = "ward", _("Ward")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Ministry or central body")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    STATE = "state", _("State")


class Award(TimeStampedModel):
    """A commendation of a unit, a person, a practice, or a person for their part in a practice. `organisation`
    is always set (the unit commended, the person's unit, the practice's unit): it scopes the row."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="awards")
    person = models.ForeignKey("orgs.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="awards")
    practice = models.ForeignKey("practices.Practice", verbose_name=_("practice"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="awards")
    form = models.CharField(_("form of commendation"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=AwardLevel.choices)
    decision_number = models.CharField(_("decision number"), max_length=100)
    awarded_on = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)

    objects = RestrictedQuerySet["Award"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.form} — {self.decision_number}"

    @property
    def recipient(self) -> object:
        return self.person or self.practice or self.organisation

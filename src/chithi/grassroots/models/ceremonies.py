"""Monthly flag ceremonies (chào cờ và sinh hoạt tư tưởng dưới cờ): what each unit recorded for a month. The
day is computed (rules.flag_day); a unit without a record once the day has passed is shown as missing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet

__all__ = ["CeremonyStatus", "FlagCeremony"]


class CeremonyStatus(models.TextChoices):
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Not held")


class FlagCeremony(TimeStampedModel):
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT,
                                     related_name="flag_ceremonies")
    # The month it belongs to: year * 100 + month.
    period = models.PositiveIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=CeremonyStatus.choices,
                              default=CeremonyStatus.HELD)
    held_on = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    speaker = models.ForeignKey("orgs.Person", verbose_name=_("ideological talk given by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="flag_talks")
    speaker_name = models.CharField(_("speaker (if not in the list)"), max_length=120, blank=True)
    topic = models.CharField(_("topic of the talk"), max_length=300, blank=True)
    attendance = models.PositiveIntegerField(_("people present"), null=True, blank=True)
    expected = models.PositiveIntegerField(_("people expected"), null=True, blank=True)
    reason = models.CharField(_("why it was not held"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = RestrictedQuerySet["FlagCeremony"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("flag ceremony")
        verbose_name_plural = _("flag ceremonies")
        ordering = ["-period", "organisation"]
        constraints = [models.UniqueConstraint(fields=["organisation", "period"],
                                               name="grassroots_one_ceremony_a_month")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.period % 100:02d}/{self.period // 100}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:ceremony_detail", args=[self.pk])

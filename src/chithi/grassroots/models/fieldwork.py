"""Field work: working groups, households, household visits (and what residents raised), help with procedures
at home. Residents' details (names, phone, address) are staff-only: no public page or public API shows them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet, path_q
from chithi.core.search import SearchIndexed

__all__ = [
    "Concern", "GroupMember", "GroupRole", "HelpOutcome", "HomeHelpRequest", "HomeReason", "Household", "Procedure",
    "RequestChannel", "Visit", "VisitStatus", "WorkingGroup",
]


class WorkingGroup(SearchIndexed, TimeStampedModel):
    """A working group (tổ công tác) set up by a unit (the ward's or the province's committee), with its members,
    the units it follows and its period. Seen by its unit's scope and by the scope of the units it follows."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("set up by"), on_delete=models.PROTECT,
                                     related_name="working_groups")
    name = models.CharField(_("name"), max_length=255)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    followed_units = models.ManyToManyField("orgs.Organisation", verbose_name=_("units it follows"),
                                            related_name="following_groups")
    note = models.TextField(_("tasks"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("name", "organisation__name")

    objects = RestrictedQuerySet["WorkingGroup"].as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grassroots:group_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        from chithi.orgs.models import Organisation

        followed = Organisation.objects.filter(path_q("path", paths), following_groups=OuterRef("pk"))
        return path_q("organisation__path", paths) | Q(Exists(followed))

    def is_active_on(self, day: object) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)  # type: ignore[operator]


class GroupRole(models.TextChoices):
    LEADER = "leader", _("Group leader")
    MEMBER = "member", _("Group member")


class GroupMember(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("orgs.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="working_groups")
    role = models.CharField(_("role in the group"), max_length=8, choices=GroupRole.choices, default=GroupRole.MEMBER)

    class Meta:
        ordering = ["group", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="grassroots_group_member_once")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.group_id}"


class Household(SearchIndexed, TimeStampedModel):
    """A household of a residential area. No national ID numbers are kept, on purpose."""

    residential_area = models.ForeignKey("orgs.Organisation", verbose_name=_("residential area"),
                                         on_delete=models.PROTECT, related_name="households")
    head_name = models.CharField(_("head of household"), max_length=120)
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    members_note = models.TextField(_("household members"), blank=True,
                                    help_text=_("Names and ages as the family gives them; no ID numbers."))
    elderly = models.BooleanField(_("elderly person living here"), default=False)
    disabled = models.BooleanField(_("person with a disability"), default=False)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("head_name", "address", "phone")

    objects = RestrictedQuerySet["Household"].as_manager()
    scope_path_field = "residential_area__path"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["residential_area", "address", "id"]

    def __str__(self) -> str:
        return f"{self.head_name} — {self.address}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:household_detail", args=[self.pk])


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Visited")
    CANCELLED = "cancelled", _("Called off")


class Visit(TimeStampedModel):
    """A working group's visit to a household."""

    group = models.ForeignKey(WorkingGroup, verbose_name=_("working group"), on_delete=models.PROTECT,
                              related_name="visits")
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="visits")
    starts_at = models.DateTimeField(_("when"))
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    visitors = models.ManyToManyField("orgs.Person", verbose_name=_("who went"), related_name="household_visits",
                                      blank=True)
    situation = models.TextField(_("the household's situation"), blank=True)
    raised = models.TextField(_("what the residents raised"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet["Visit"].as_manager()

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["group", "-starts_at"]), models.Index(fields=["household", "-starts_at"])]

    def __str__(self) -> str:
        return f"{self.household.head_name} — {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:visit_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return path_q("household__residential_area__path", paths) | path_q("group__organisation__path", paths)


class Concern(models.Model):
    """One thing the residents raised at a visit; `issue` links it to the citizen issue it became."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="concerns")
    description = models.TextField(_("what was raised"))
    issue = models.OneToOneField("dialogues.Issue", verbose_name=_("citizen issue"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="visit_concern")

    objects = RestrictedQuerySet["Concern"].as_manager()

    class Meta:
        verbose_name = _("concern raised")
        verbose_name_plural = _("concerns raised")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return path_q("visit__household__residential_area__path", paths) | path_q(
            "visit__group__organisation__path", paths)


class Procedure(models.Model):
    """The configurable list of procedures officers help with at home (admin: add, reorder, retire)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("procedure"), max_length=200)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class RequestChannel(models.TextChoices):
    PHONE = "phone", _("By phone at the ward")
    STAFF = "staff", _("Entered by staff")
    VISIT = "visit", _("From a household visit")


class HomeReason(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("Disabled")
    ILL = "ill", _("Ill")
    OTHER = "other", _("Other reason")


class HelpOutcome(models.TextChoices):
    PENDING = "pending", _("Not done yet")
    DONE = "done", _("Done")
    AGAIN = "again", _("Needs another visit")
    REFERRED = "referred", _("Referred elsewhere")


class HomeHelpRequest(TimeStampedModel):
    """Help with an administrative procedure at the resident's home (hỗ trợ thủ tục tại nhà)."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("handling unit"), on_delete=models.PROTECT,
                                     related_name="home_help_requests")
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="home_help_requests")
    resident_name = models.CharField(_("resident helped"), max_length=120, blank=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT,
                                  related_name="requests")
    channel = models.CharField(_("came in"), max_length=8, choices=RequestChannel.choices)
    visit = models.ForeignKey(Visit, verbose_name=_("household visit"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="home_help_requests")
    reason = models.CharField(_("why at home"), max_length=10, choices=HomeReason.choices)
    reason_note = models.CharField(_("details"), max_length=300, blank=True)
    slot_start = models.DateTimeField(_("appointment"))
    slot_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=45)
    officer = models.ForeignKey("orgs.Person", verbose_name=_("officer"), on_delete=models.PROTECT,
                                related_name="home_help_slots")
    outcome = models.CharField(_("outcome"), max_length=10, choices=HelpOutcome.choices, default=HelpOutcome.PENDING)
    outcome_note = models.TextField(_("what was done"), blank=True)
    keep_note = models.CharField(_("what the resident must keep"), max_length=500, blank=True,
                                 help_text=_("E.g. the phone an account was activated on, an appointment slip."))
    satisfaction = models.PositiveSmallIntegerField(_("resident's satisfaction (1–5)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet["HomeHelpRequest"].as_manager()

    class Meta:
        verbose_name = _("home help request")
        verbose_name_plural = _("home help requests")
        ordering = ["slot_start", "id"]
        indexes = [models.Index(fields=["organisation", "slot_start"]), models.Index(fields=["officer", "slot_start"])]
        constraints = [models.CheckConstraint(
            condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
            name="grassroots_satisfaction_1_5")]

    def __str__(self) -> str:
        return f"{self.procedure} — {self.slot_start:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:homehelp_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return path_q("organisation__path", paths) | path_q("household__residential_area__path", paths)

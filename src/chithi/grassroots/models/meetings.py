"""Party-cell meetings: the meeting and its agenda, attendance, guests, minutes (versioned) and resolution tasks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.models import TimeStampedModel
from chithi.core.numbers import percent
from chithi.core.permissions import RestrictedQuerySet
from chithi.core.search import SearchIndexed

__all__ = [
    "REGULAR_KINDS", "STANDING_ITEMS", "THEMATIC_KINDS", "AbsenceReason", "AgendaItem", "AgendaKind", "Attendance",
    "AttendanceStatus", "Meeting", "MeetingGuest", "MeetingKind", "MeetingStatus", "MinutesStatus", "MinutesVersion",
    "ResolutionTask", "TaskOutcome", "ThemeKind",
]


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    # HD 42: both in one session (then at least 120 minutes); counts as the month's regular meeting and as
    # the quarter's thematic one.
    COMBINED = "combined", _("Regular and thematic in one session")


class ThemeKind(models.TextChoices):
    HO_CHI_MINH = "ho_chi_minh", _("Studying and following Hồ Chí Minh")
    PARTY_BUILDING = "party_building", _("Party building")
    RESOLUTION = "resolution", _("Studying a resolution")
    OTHER = "other", _("Other topic")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


REGULAR_KINDS = (MeetingKind.REGULAR, MeetingKind.COMBINED)
THEMATIC_KINDS = (MeetingKind.THEMATIC, MeetingKind.COMBINED)


class Meeting(SearchIndexed, TimeStampedModel):
    """A cell's meeting. The attendance figures are kept on the row by the attendance service, so roll-ups over
    hundreds of thousands of meetings never read the attendance table (docs/decisions.md)."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("party cell"), on_delete=models.PROTECT,
                                     related_name="cell_meetings")
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    theme_kind = models.CharField(_("kind of topic"), max_length=16, choices=ThemeKind.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    planned_minutes = models.PositiveSmallIntegerField(_("planned length (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=255, blank=True)
    # The month the meeting belongs to (a regular meeting is one a month): year * 100 + month.
    period = models.PositiveIntegerField(_("month"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    notified_at = models.DateTimeField(_("members notified at"), null=True, blank=True)
    # Denormalised attendance (docs/decisions.md): kept by services.record_attendance in the same transaction.
    roster_official = models.PositiveSmallIntegerField(default=0)
    roster_probationary = models.PositiveSmallIntegerField(default=0)
    present_official = models.PositiveSmallIntegerField(default=0)
    present_probationary = models.PositiveSmallIntegerField(default=0)
    absent_excused = models.PositiveSmallIntegerField(default=0)
    absent_unexcused = models.PositiveSmallIntegerField(default=0)
    exempt_absent = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("topic", "place", "organisation__name")

    objects = RestrictedQuerySet["Meeting"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("cell meeting")
        verbose_name_plural = _("cell meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-starts_at"]), models.Index(fields=["period", "status"]),
                   models.Index(fields=["status", "starts_at"])]
        constraints = [
            # One regular meeting a month: "regular" and "combined" share the slot; a cancelled one frees it.
            models.UniqueConstraint(fields=["organisation", "period"], name="grassroots_one_regular_a_month",
                                    condition=Q(kind__in=["regular", "combined"]) & ~Q(status="cancelled")),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} {when:%m/%Y} — {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:meeting_detail", args=[self.pk])

    @property
    def is_thematic(self) -> bool:
        return self.kind in THEMATIC_KINDS

    @property
    def roster(self) -> int:
        return self.roster_official + self.roster_probationary

    @property
    def present(self) -> int:
        return self.present_official + self.present_probationary

    @property
    def expected(self) -> int:
        """The denominator of the attendance rate: exempt members who stayed away are not counted (QĐ 294)."""
        return self.roster - self.exempt_absent

    @property
    def attendance_rate(self) -> float | None:
        return percent(self.present, self.expected)

    def local_date(self) -> Any:
        return timezone.localtime(self.starts_at).date()


class AgendaKind(models.TextChoices):
    LAST_MONTH = "last_month", _("Last month's results")
    STUDY = "study", _("Study content under Chỉ thị 05")
    NEXT_MONTH = "next_month", _("Next month's tasks")
    REVIEW = "review", _("Review of the last resolution's tasks")
    THEME = "theme", _("Thematic topic")
    PLAN_TASK = "plan_task", _("Plan task")
    OTHER = "other", _("Other item")


STANDING_ITEMS = (AgendaKind.LAST_MONTH, AgendaKind.STUDY, AgendaKind.NEXT_MONTH)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=AgendaKind.choices)
    title = models.CharField(_("item"), max_length=500)
    plan_task = models.ForeignKey("campaigns.PlanTask", verbose_name=_("plan task"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="meeting_items")

    objects = RestrictedQuerySet["AgendaItem"].as_manager()
    scope_path_field = "meeting__organisation__path"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with a reason")
    UNEXCUSED = "unexcused", _("Absent without a reason")
    EXEMPT = "exempt", _("Exempt from party activities")


class AbsenceReason(models.TextChoices):
    WORK = "work", _("Work")
    ILLNESS = "illness", _("Illness")
    FAMILY = "family", _("Family matters")
    AWAY = "away", _("Away from the locality")
    OTHER = "other", _("Other reason")


class Attendance(models.Model):
    """One member at one meeting. `probationary` is the member's standing on the meeting's date, kept so the
    minutes can count official and probationary members as they were."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("orgs.Person", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="cell_attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=AbsenceReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    probationary = models.BooleanField(_("probationary member"), default=False)

    objects = RestrictedQuerySet["Attendance"].as_manager()
    scope_path_field = "meeting__organisation__path"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="grassroots_attendance_once")]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.meeting_id}: {self.status}"


class MeetingGuest(models.Model):
    """A guest (đại biểu): e.g. a member of the ward's or the province's working group at a residential cell."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position"), max_length=200, blank=True)
    person = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey("grassroots.WorkingGroup", verbose_name=_("working group"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="meetings_attended")

    objects = RestrictedQuerySet["MeetingGuest"].as_manager()
    scope_path_field = "meeting__organisation__path"

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.name


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class MinutesVersion(models.Model):
    """The minutes (biên bản). An approved version never changes: a correction is a new version with its reason.

    Remarks and conclusions are part of the one document that is approved, so they live in it (JSON):
    `remarks` = [{"person": id or null, "name": "...", "item": agenda item id or null, "text": "..."}],
    `conclusions` = {agenda item id: "..."}, `score_parts` = {criterion key: points}.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    chair = models.ForeignKey("orgs.Person", verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey("orgs.Person", verbose_name=_("minute-taker"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    started_at = models.TimeField(_("started at"), null=True, blank=True)
    ended_at = models.TimeField(_("ended at"), null=True, blank=True)
    report = models.TextField(_("report and discussion"), blank=True)
    remarks = models.JSONField(_("remarks"), default=list, blank=True)
    conclusions = models.JSONField(_("conclusions"), default=dict, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField(_("official members voting"), null=True, blank=True)
    score_parts = models.JSONField(_("self-assessment"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("quality score"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    # The attendance as approved (figures), so a printed version stays what was signed.
    attendance_snapshot = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = RestrictedQuerySet["MinutesVersion"].as_manager()
    scope_path_field = "meeting__organisation__path"

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="grassroots_minutes_version_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100),
                                   name="grassroots_minutes_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED

    @property
    def minutes_long(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        start = self.started_at.hour * 60 + self.started_at.minute
        end = self.ended_at.hour * 60 + self.ended_at.minute
        return end - start if end >= start else None


class TaskOutcome(models.TextChoices):
    OPEN = "open", _("Not reviewed yet")
    DONE = "done", _("Done")
    IN_PROGRESS = "in_progress", _("Under way")
    NOT_DONE = "not_done", _("Not done")


class ResolutionTask(models.Model):
    """A task the meeting's resolution assigned; the next meeting reviews it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolution_tasks")
    title = models.CharField(_("task"), max_length=500)
    assignee = models.ForeignKey("orgs.Person", verbose_name=_("assigned to"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(_("due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=TaskOutcome.choices, default=TaskOutcome.OPEN)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_at = models.ForeignKey(Meeting, verbose_name=_("reviewed at"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="reviewed_tasks")

    objects = RestrictedQuerySet["ResolutionTask"].as_manager()
    scope_path_field = "meeting__organisation__path"

    class Meta:
        verbose_name = _("resolution task")
        verbose_name_plural = _("resolution tasks")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

"""Dialogue sessions, citizens' issues with their categories, timelines and photos, Open311 clients."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.models import AttachmentBase, TimeStampedModel
from chithi.core.permissions import Action, RestrictedQuerySet, path_q
from chithi.core.search import SearchIndexed

from . import codes


class Dialogue(SearchIndexed, TimeStampedModel):
    """A session where leaders meet residents (buổi đối thoại); issues raised there hang off it."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organising unit"),
                                     on_delete=models.PROTECT, related_name="dialogues")
    title = models.CharField(_("topic"), max_length=255)
    held_on = models.DateField(_("date"))
    residential_area = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("residential area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="dialogues_held_here")
    place = models.CharField(_("place"), max_length=255, blank=True,
                             help_text=_("Where it was held, e.g. the neighbourhood's cultural house."))
    leaders = models.ManyToManyField("orgs.Person", verbose_name=_("leaders present"), blank=True,
                                     related_name="dialogues_led")
    participants_count = models.PositiveIntegerField(_("participants"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("title", "place", "residential_area__name")

    objects = RestrictedQuerySet["Dialogue"].as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:dialogue_detail", args=[self.pk])


class DialogueAttachment(AttachmentBase):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="attachments")

    objects = RestrictedQuerySet["DialogueAttachment"].as_manager()
    scope_path_field = "dialogue__organisation__path"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class IssueCategory(TimeStampedModel):
    """A kind of issue; also an Open311 service. Its SLA is counted in working days."""

    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(_("service code"), max_length=40, unique=True,
                            help_text=_("The Open311 service_code; letters, digits and dashes."))
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    ack_days = models.PositiveSmallIntegerField(_("working days to acknowledge"), default=2)
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"), default=10)
    default_unit = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("default handling unit"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("New issues of this kind go to this unit's queue; empty: the intake unit."))
    public = models.BooleanField(_("offered to citizens"), default=True,
                                 help_text=_("Shown on the public form and through Open311."))
    active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class IssueChannel(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue")
    VISIT = "visit", _("Household visit")
    STAFF = "staff", _("Entered by staff (phone, in person)")
    WEB = "web", _("Public web form")
    OPEN311 = "open311", _("Open311 application")


class IssueStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged as a duplicate")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("issue", "In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset({IssueStatus.RECEIVED, IssueStatus.ACCEPTED, IssueStatus.ASSIGNED,
                           IssueStatus.IN_PROGRESS, IssueStatus.REOPENED})
FINISHED_STATUSES = frozenset({IssueStatus.REJECTED, IssueStatus.MERGED, IssueStatus.ANSWERED,
                               IssueStatus.CLOSED})


class Stage(models.TextChoices):
    """The SLA an open issue is running against; escalation happens once per stage."""

    ACKNOWLEDGE = "ack", _("acknowledge")
    ANSWER = "answer", _("answer")
    REOPENED = "reopen", _("answer after reopening")


def referred_from(paths: list[str], issue_ref: str) -> Exists:
    """The issue (OuterRef `issue_ref`) was referred elsewhere by a unit in `paths`."""
    return Exists(IssueEvent.objects.filter(issue=OuterRef(issue_ref), kind=EventKind.REFERRED)
                  .filter(path_q("from_unit__path", paths)))


class ReferrerReadsQuerySet[M: models.Model](RestrictedQuerySet[M]):
    """As every scoped model, plus: a unit that referred an issue elsewhere may still read it and what belongs to
    it (it answers for having sent it on), but takes no further step on it. `issue_ref`: the issue's id column."""

    issue_ref = "pk"

    def scope_filter(self, paths: list[str], action: Action) -> Q:
        own = super().scope_filter(paths, action)
        return own | Q(referred_from(paths, self.issue_ref)) if action == Action.VIEW else own


# What the public may read of an issue's answer: answered (or closed after it), and the reporter agreed. One Q for
# the queryset and the partial indexes, so the planner sees the same predicate.
PUBLISHED = Q(consent_to_publish=True, status__in=[IssueStatus.ANSWERED, IssueStatus.CLOSED],
              answered_at__isnull=False)


class IssueQuerySet(ReferrerReadsQuerySet["Issue"]):
    def open(self) -> IssueQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None) -> IssueQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def published(self) -> IssueQuerySet:
        """What the transparency page may show: answered, and the reporter agreed."""
        return self.filter(PUBLISHED)


class Issue(SearchIndexed, models.Model):
    """A citizen's issue (phản ánh, kiến nghị). Staff see it when their subtree holds the unit that
    handles it or the unit it was escalated to. The reporter's name, contact and exact address are
    private: public pages and Open311 show only `area`."""

    tracking_code = models.CharField(_("tracking code"), max_length=codes.LENGTH, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=IssueChannel.choices)
    category = models.ForeignKey(IssueCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="issues")
    description = models.TextField(_("description"))
    area = models.CharField(_("area"), max_length=200, blank=True,
                            help_text=_("Ward or residential area: shown publicly, never a house number."))
    area_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("ward"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    address = models.CharField(_("exact address"), max_length=255, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    reporter_contact = models.CharField(_("reporter's phone or e-mail"), max_length=120, blank=True)
    consent_to_publish = models.BooleanField(_("agrees to publish the answer"), default=False)
    # A citizen's retry is the same submission: the form (a hidden field made when it is rendered) and apps (an
    # Idempotency-Key) send a key, and a second request with it gets the first issue back (services.intake).
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    status = models.CharField(_("status"), max_length=16, choices=IssueStatus.choices,
                              default=IssueStatus.RECEIVED)
    status_reason = models.TextField(_("reason"), blank=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("handling unit"),
                                     on_delete=models.PROTECT, related_name="issues")
    # The officer of the handling unit the issue was given to by name (optional: a unit's queue is the default).
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer in charge"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="assigned_issues")
    escalated_to = models.ForeignKey("orgs.Organisation", verbose_name=_("escalated to"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="escalated_issues")
    escalated_stage = models.CharField(max_length=8, choices=Stage.choices, blank=True)
    dialogue = models.ForeignKey(Dialogue, verbose_name=_("dialogue"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="issues")
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicates")
    api_client = models.ForeignKey("ApiClient", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="issues")

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    ack_due_on = models.DateField(_("acknowledge by"))
    answer_due_on = models.DateField(_("answer by"))
    # The due date of the stage the issue is in (null once finished): what the queue sorts on.
    due_on = models.DateField(_("due"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by_unit = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    # Working days from receipt to the answer (core.workdays.working_days_elapsed), written with answered_at: the
    # holiday calendar is not in SQL, and summing this column lets the figures count a province's year of issues
    # in one grouped query (issue 13). Null on an issue never answered; the figures' mean ignores a null.
    answer_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment on the answer"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(blank=True, editable=False)
    # The code as stored and as printed ("FF1BH-WNAQN"), so staff find an issue by either.
    search_fields = ("tracking_code", "display_code", "category__name", "description", "area", "address",
                     "reporter_name")

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"]),
            models.Index(fields=["escalated_to", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["received_at"]),
            # The dashboards and reports count a unit's issues of a period: each of its units' rows by date, with
            # every column the counts read, so PostgreSQL answers from the index alone (a province's year of a
            # national table: 1.4 s by a scan of the table, 37 ms from this index). SQLite ignores `include`.
            models.Index(fields=["organisation", "received_at"], name="issue_unit_received",
                         include=["id", "status", "answered_at", "answer_due_on", "rating", "category",
                                  "area_unit", "answer_working_days"]),
            # The public list of answered issues, newest first, and by ward: partial, so the walk stops at a page
            # (a sort of 5 million published issues took 6 s) and intake's inserts never touch them.
            models.Index(fields=["-answered_at", "-id"], condition=PUBLISHED, name="issue_published_recent"),
            models.Index(fields=["area_unit", "-answered_at", "-id"], condition=PUBLISHED,
                         name="issue_published_by_ward"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="issue_rating_1_to_5"),
            models.UniqueConstraint(fields=["submission_key"], condition=~Q(submission_key=""),
                                    name="issue_submission_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} — {self.category}"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:issue_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return path_q("organisation__path", paths) | path_q("escalated_to__path", paths)

    def get_public_url(self) -> str:
        return reverse("dialogues:track", args=[self.display_code])

    @property
    def display_code(self) -> str:
        return codes.display(self.tracking_code)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def stage(self) -> str:
        if self.status == IssueStatus.RECEIVED:
            return Stage.ACKNOWLEDGE
        if self.status == IssueStatus.REOPENED or (self.reopened_at and self.is_open):
            return Stage.REOPENED
        if self.is_open:
            return Stage.ANSWER
        return ""

    @property
    def due_label(self) -> str:
        """What `due_on` is the deadline of: the header read "hạn xử lý" beside "Hạn tiếp nhận" for one date."""
        return str(_("acknowledge by") if self.stage == Stage.ACKNOWLEDGE else _("answer by"))

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < (today or timezone.localdate())

    @property
    def days_to_answer(self) -> int | None:
        """Working days from receipt to the answer (shown on the transparency page)."""
        from chithi.core.workdays import working_days_between

        if not self.answered_at:
            return None
        return working_days_between(timezone.localtime(self.received_at).date(),
                                    timezone.localtime(self.answered_at).date())


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged as a duplicate")
    ASSIGNED = "assigned", _("Assigned")
    REASSIGNED = "reassigned", _("Reassigned")
    REFERRED = "referred", _("Referred to another unit")
    STARTED = "started", _("Handling started")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened by the citizen")
    RATED = "rated", _("Rated by the citizen")
    ESCALATED = "escalated", _("Overdue: escalated")
    TRANSFERRED = "transferred", _("Moved to the successor unit")


# Steps a citizen sees on the tracking page; escalations and internal moves stay inside.
PUBLIC_EVENTS = frozenset({EventKind.RECEIVED, EventKind.ACCEPTED, EventKind.REJECTED, EventKind.MERGED,
                           EventKind.ASSIGNED, EventKind.REASSIGNED, EventKind.REFERRED, EventKind.STARTED,
                           EventKind.ANSWERED, EventKind.CLOSED, EventKind.REOPENED, EventKind.RATED})
# Of those, the ones whose reason the citizen is told (why it was refused or merged).
PUBLIC_REASON_EVENTS = frozenset({EventKind.REJECTED, EventKind.MERGED})


class IssueEvent(models.Model):
    """One step on an issue's timeline: what, who, when, why."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("step"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    from_unit = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    to_unit = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    public = models.BooleanField(default=True)

    objects = RestrictedQuerySet["IssueEvent"].as_manager()

    class Meta:
        verbose_name = _("issue step")
        verbose_name_plural = _("issue timeline")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["issue", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return path_q("issue__organisation__path", paths) | path_q("issue__escalated_to__path", paths)

    @property
    def public_reason(self) -> str:
        return self.reason if self.kind in PUBLIC_REASON_EVENTS else ""


class IssuePhotoQuerySet(ReferrerReadsQuerySet["IssuePhoto"]):
    """As the issue: the unit that referred it keeps seeing its photos."""

    issue_ref = "issue_id"


class IssuePhoto(AttachmentBase):
    """A photo of the issue, re-encoded on upload (no EXIF, no GPS). Staff only, never public."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="photos")

    objects = IssuePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return path_q("issue__organisation__path", paths) | path_q("issue__escalated_to__path", paths)


class ApiClient(TimeStampedModel):
    """An application allowed to POST Open311 requests; the key is shown once and stored hashed."""

    name = models.CharField(_("application"), max_length=150)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    key_prefix = models.CharField(max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

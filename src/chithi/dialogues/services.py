"""Writes for dialogues and citizens' issues: intake from every channel, the workflow, SLAs and
escalation, and Open311 client keys.

Each function takes keyword arguments, validates, writes, records the issue's timeline and the
audit entry inside one transaction, and refuses with a ValidationError naming the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.notify import notify
from chithi.core.permissions import Action, allowed_on_path, restrict
from chithi.core.uploads import clean_document, clean_image, is_image_name
from chithi.core.workdays import add_working_days
from chithi.orgs.models import Organisation, Person, RoleAssignment

from . import codes
from .models import (
    OPEN_STATUSES,
    ApiClient,
    Dialogue,
    DialogueAttachment,
    EventKind,
    Issue,
    IssueCategory,
    IssueChannel,
    IssueEvent,
    IssuePhoto,
    IssueStatus,
    Stage,
)

MAX_DESCRIPTION = 5000
MAX_NAME = 120
MAX_CONTACT = 120
MAX_ADDRESS = 255
MAX_AREA = 200
MAX_REASON = 2000
MAX_ANSWER = 10000
MAX_PHOTOS = 3
PUBLIC_CHANNELS = frozenset({IssueChannel.WEB, IssueChannel.OPEN311})


def reopen_days() -> int:
    """How many calendar days after the answer a citizen may reopen an issue (once)."""
    return int(getattr(settings, "DIALOGUES_REOPEN_DAYS", 15))


# --- the intake unit ------------------------------------------------------------------------------


def intake_unit() -> tuple[int, str]:
    """(pk, path) of the unit whose queue receives unrouted public issues.

    DIALOGUES_INTAKE_UNIT_CODE names it; by default it is the top of the tree (the city party
    committee), whose staff route issues on. Cached briefly: public intake asks on every request.
    """
    cached = cache.get("dialogues:intake_unit")
    if cached:
        return cached  # type: ignore[no-any-return]
    code = getattr(settings, "DIALOGUES_INTAKE_UNIT_CODE", "")
    qs = Organisation.objects.active()
    unit = (qs.filter(code=code).first() if code else None) or qs.filter(parent__isnull=True).order_by("path").first()
    if unit is None:
        raise ValidationError(_("No unit receives issues yet: create the organisation tree first."))
    value = (unit.pk, unit.path)
    cache.set("dialogues:intake_unit", value, 300)
    return value


def _require_on(actor: Any, action: Action, path: str) -> None:
    if not allowed_on_path(actor, action, path):
        raise PermissionDenied(_("You do not have permission for this unit."))


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return str(actor.display_name())[:150]


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _event(issue: Issue, kind: str, actor: Any, *, reason: str = "", from_unit: Organisation | None = None,
           to_unit: Organisation | None = None, public: bool = True, at: dt.datetime | None = None) -> IssueEvent:
    return IssueEvent.objects.create(
        issue=issue, kind=kind, actor=_user(actor), actor_name=_actor_name(actor), reason=reason,
        from_unit=from_unit, to_unit=to_unit, public=public, at=at or timezone.now())


def _text(errors: dict[str, str], name: str, value: str, limit: int, *, required: bool = False,
          label: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        errors[name] = _("%(field)s is required.") % {"field": label}
    elif len(value) > limit:
        errors[name] = _("At most %(n)d characters (you wrote %(m)d).") % {"n": limit, "m": len(value)}
    return value


# --- intake ---------------------------------------------------------------------------------------


def check_photos(photos: Sequence[UploadedFile]) -> list[ContentFile[bytes]]:
    """Re-encode each photo (EXIF and GPS dropped); refuse non-images, oversize files, too many."""
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    cleaned = []
    for photo in photos:
        try:
            cleaned.append((photo.name, clean_image(photo)))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    return [_named(content, name) for name, content in cleaned]


def _named(content: ContentFile[bytes], original: str | None) -> ContentFile[bytes]:
    content.original_name = (original or content.name or "")[:255]  # type: ignore[attr-defined]
    return content


def submit_issue(
    *, actor: Any, channel: str, category: IssueCategory | None, description: str,
    area_unit: Organisation | None = None, area: str = "", address: str = "",
    latitude: Decimal | float | str | None = None, longitude: Decimal | float | str | None = None,
    reporter_name: str = "", reporter_contact: str = "", consent_to_publish: bool = False,
    photos: Sequence[UploadedFile] = (), dialogue: Dialogue | None = None, organisation: Organisation | None = None,
    received_at: dt.datetime | None = None, api_client: ApiClient | None = None,
) -> Issue:
    """Record a new issue from any channel and return it with its tracking code.

    Public channels (web, Open311) need no account and land in the category's default unit or the
    intake unit; staff channels (dialogue, visit, staff) land in the unit they name, which the
    actor must be allowed to add to.
    """
    errors: dict[str, str] = {}
    if channel not in IssueChannel.values:
        errors["channel"] = _("Unknown channel.")
    if category is None or not category.active or (channel in PUBLIC_CHANNELS and not category.public):
        errors["category"] = _("Choose a kind of issue from the list.")
    description = _text(errors, "description", description, MAX_DESCRIPTION, required=True,
                        label=_("The description"))
    if "description" not in errors and len(description) < 10:
        errors["description"] = _("Describe the issue in a few words (at least 10 characters).")
    address = _text(errors, "address", address, MAX_ADDRESS)
    area = _text(errors, "area", area, MAX_AREA)
    reporter_name = _text(errors, "reporter_name", reporter_name, MAX_NAME)
    reporter_contact = _text(errors, "reporter_contact", reporter_contact, MAX_CONTACT)
    lat = _coordinate(errors, "lat", latitude, 90)
    lng = _coordinate(errors, "long", longitude, 180)
    if (lat is None) != (lng is None) and "lat" not in errors and "long" not in errors:
        errors["lat"] = _("Give both latitude and longitude, or neither.")
    if area_unit is not None and not area_unit.is_active:
        errors["area_unit"] = _("This ward no longer exists; choose a current one.")
    if dialogue is not None and channel != IssueChannel.DIALOGUE:
        errors["channel"] = _("An issue raised at a dialogue has the channel 'dialogue'.")
    if channel == IssueChannel.DIALOGUE and dialogue is None:
        errors["dialogue"] = _("Choose the dialogue where the issue was raised.")
    if errors:
        raise ValidationError(errors)
    assert category is not None
    cleaned_photos = check_photos(photos)

    # Where it lands: the dialogue's unit, the unit staff named, or the category's / intake unit.
    if dialogue is not None:
        unit = dialogue.organisation
        while not unit.is_active and unit.successor_id and unit.successor:
            unit = unit.successor  # a dialogue of a merged unit: its successor follows the issue up
        unit_pk, unit_path = unit.pk, unit.path
    elif channel in PUBLIC_CHANNELS:
        if category.default_unit_id and category.default_unit and category.default_unit.is_active:
            unit_pk, unit_path = category.default_unit_id, category.default_unit.path
        else:
            unit_pk, unit_path = intake_unit()
    else:
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the unit that receives the issue.")})
        if not organisation.is_active:
            raise ValidationError({"organisation": _("This unit no longer exists.")})
        unit_pk, unit_path = organisation.pk, organisation.path
    if channel not in PUBLIC_CHANNELS:
        _require_on(actor, Action.ADD, unit_path)

    if not area:
        if area_unit is not None:
            from .selectors import ward_label

            area = ward_label(area_unit)
        elif dialogue is not None:
            area = (dialogue.residential_area.name if dialogue.residential_area_id and dialogue.residential_area
                    else dialogue.place)[:MAX_AREA]
    received = received_at or timezone.now()
    day = timezone.localtime(received).date()
    ack_due = add_working_days(day, category.ack_days)
    issue = Issue(
        channel=channel, category=category, description=description, area=area, area_unit=area_unit,
        address=address, latitude=lat, longitude=lng, reporter_name=reporter_name,
        reporter_contact=reporter_contact, consent_to_publish=bool(consent_to_publish), organisation_id=unit_pk,
        dialogue=dialogue, api_client=api_client, received_at=received, ack_due_on=ack_due,
        answer_due_on=add_working_days(day, max(category.answer_days, category.ack_days)), due_on=ack_due,
        created_by=_user(actor),
    )
    for attempt in range(5):
        try:
            with transaction.atomic():
                _insert_new(issue, category)
                _event(issue, EventKind.RECEIVED, actor, at=received)
                for photo in cleaned_photos:
                    IssuePhoto.objects.create(
                        issue=issue, file=photo, original_name=photo.original_name,  # type: ignore[attr-defined]
                        content_type="image/png" if (photo.name or "").endswith(".png") else "image/jpeg",
                        size=photo.size, uploaded_by=_user(actor))
                audit.record(action=AuditAction.CREATE, obj=issue, after=audit.snapshot(issue), actor=actor,
                             org_path=unit_path, note=str(IssueChannel(channel).label))
            break
        except IntegrityError:
            # A drawn code already taken (about one chance in 10^15 per pair): draw again, whole.
            issue.pk = None
            if attempt == 4 or not Issue.objects.filter(tracking_code=issue.tracking_code).exists():
                raise
    return issue


def _coordinate(errors: dict[str, str], name: str, value: Any, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        errors[name] = _("Not a number.")
        return None
    if not (-limit <= number <= limit):
        errors[name] = _("Must be between -%(n)d and %(n)d.") % {"n": limit}
        return None
    return number


def _insert_new(issue: Issue, category: IssueCategory) -> None:
    """Insert with a fresh random code. No savepoint: public intake is the hot path, and a
    collision is retried by the caller with the whole transaction."""
    issue.tracking_code = codes.new_code()
    issue.save(force_insert=True)


# --- the workflow ---------------------------------------------------------------------------------


def _locked(issue: Issue, actor: Any) -> Issue:
    """Re-read the issue under a row lock, and only if the actor may change it (else 404)."""
    found = restrict(Issue.objects.filter(pk=issue.pk), actor, Action.CHANGE).select_for_update(of=("self",)).first()
    if found is None:
        raise PermissionDenied(_("You do not have permission for this issue."))
    return Issue.objects.select_related("category", "organisation").get(pk=found.pk)


def _refuse_status(issue: Issue, allowed: Iterable[str]) -> None:
    if issue.status not in set(allowed):
        raise ValidationError({"status": _("This step is not possible while the issue is '%(status)s'.")
                               % {"status": issue.get_status_display()}})


def _save(issue: Issue, before: dict[str, Any] | None, actor: Any, note: str = "") -> Issue:
    issue.save()
    audit.record(action=AuditAction.UPDATE, obj=issue, before=before, after=audit.snapshot(issue), actor=actor,
                 org_path=issue.organisation.path, note=note)
    return issue


def _reason(value: str, *, required: bool, field: str = "reason") -> str:
    errors: dict[str, str] = {}
    value = _text(errors, field, value, MAX_REASON, required=required, label=_("The reason"))
    if errors:
        raise ValidationError(errors)
    return value


@transaction.atomic
def accept_issue(*, actor: Any, issue: Issue, note: str = "") -> Issue:
    issue = _locked(issue, actor)
    _refuse_status(issue, [IssueStatus.RECEIVED])
    before = audit.snapshot(issue)
    issue.status = IssueStatus.ACCEPTED
    issue.acknowledged_at = timezone.now()
    issue.due_on = issue.answer_due_on
    _event(issue, EventKind.ACCEPTED, actor, reason=_reason(note, required=False))
    return _save(issue, before, actor)


@transaction.atomic
def reject_issue(*, actor: Any, issue: Issue, reason: str) -> Issue:
    issue = _locked(issue, actor)
    _refuse_status(issue, [IssueStatus.RECEIVED, IssueStatus.ACCEPTED])
    reason = _reason(reason, required=True)
    before = audit.snapshot(issue)
    issue.status = IssueStatus.REJECTED
    issue.status_reason = reason
    issue.acknowledged_at = issue.acknowledged_at or timezone.now()
    issue.closed_at = timezone.now()
    issue.due_on = None
    _event(issue, EventKind.REJECTED, actor, reason=reason)
    return _save(issue, before, actor)


@transaction.atomic
def merge_issue(*, actor: Any, issue: Issue, duplicate_of: Issue, reason: str = "") -> Issue:
    """Close an issue as a duplicate of another the actor can see; chains point at the original."""
    issue = _locked(issue, actor)
    _refuse_status(issue, [IssueStatus.RECEIVED, IssueStatus.ACCEPTED, IssueStatus.ASSIGNED])
    target = restrict(Issue.objects.filter(pk=duplicate_of.pk), actor, Action.VIEW).first()
    seen = {issue.pk}
    while target is not None and target.status == IssueStatus.MERGED and target.duplicate_of_id:
        seen.add(target.pk)
        target = Issue.objects.filter(pk=target.duplicate_of_id).first()
    if target is None or target.pk in seen:
        raise ValidationError({"duplicate_of": _("Choose another issue that you can see.")})
    reason = _reason(reason, required=False)
    before = audit.snapshot(issue)
    issue.status = IssueStatus.MERGED
    issue.duplicate_of = target
    issue.status_reason = reason or _("Same as issue %(code)s.") % {"code": target.display_code}
    issue.acknowledged_at = issue.acknowledged_at or timezone.now()
    issue.closed_at = timezone.now()
    issue.due_on = None
    _event(issue, EventKind.MERGED, actor, reason=issue.status_reason)
    return _save(issue, before, actor)


class AssignKind:
    ASSIGN = "assign"
    REASSIGN = "reassign"
    REFER = "refer"


def referral_targets() -> Any:
    """Units an issue may be referred to outside one's own subtree: any current unit that handles
    citizens' affairs (party committees, departments, wards, government bodies, agencies, mass
    organisations). Party cells and schools are reached through their ward or agency."""
    return Organisation.objects.active().exclude(kind__in=["party_cell", "school", "working_group"])


@transaction.atomic
def assign_issue(*, actor: Any, issue: Issue, unit: Organisation, reason: str = "", kind: str = AssignKind.ASSIGN,
                 ) -> Issue:
    """Give the issue to a unit. Assign and reassign stay inside the actor's subtree; refer sends
    it to a unit elsewhere (e.g. the police) and needs a reason, as does a reassignment."""
    issue = _locked(issue, actor)
    if kind not in (AssignKind.ASSIGN, AssignKind.REASSIGN, AssignKind.REFER):
        raise ValidationError({"kind": _("Unknown kind of assignment.")})
    if kind == AssignKind.ASSIGN:
        _refuse_status(issue, [IssueStatus.RECEIVED, IssueStatus.ACCEPTED])
    else:
        _refuse_status(issue, [IssueStatus.ACCEPTED, IssueStatus.ASSIGNED, IssueStatus.IN_PROGRESS,
                               IssueStatus.REOPENED])
    reason = _reason(reason, required=kind != AssignKind.ASSIGN)
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit no longer exists.")})
    if kind == AssignKind.REFER:
        if not referral_targets().filter(pk=unit.pk).exists():
            raise ValidationError({"unit": _("Issues cannot be referred to this kind of unit.")})
    elif not allowed_on_path(actor, Action.CHANGE, unit.path):
        raise ValidationError({"unit": _("Choose a unit within your own; to send it elsewhere, refer it.")})
    if unit.pk == issue.organisation_id and issue.status != IssueStatus.ACCEPTED and kind != AssignKind.ASSIGN:
        raise ValidationError({"unit": _("The issue is already with this unit.")})
    before = audit.snapshot(issue)
    previous = issue.organisation
    if issue.status == IssueStatus.RECEIVED:
        issue.acknowledged_at = timezone.now()
        _event(issue, EventKind.ACCEPTED, actor)
    issue.organisation = unit
    issue.status = IssueStatus.ASSIGNED if issue.status != IssueStatus.REOPENED else IssueStatus.REOPENED
    issue.due_on = issue.answer_due_on
    event_kind = {AssignKind.ASSIGN: EventKind.ASSIGNED, AssignKind.REASSIGN: EventKind.REASSIGNED,
                  AssignKind.REFER: EventKind.REFERRED}[kind]
    _event(issue, event_kind, actor, reason=reason, from_unit=previous, to_unit=unit)
    issue = _save(issue, before, actor)
    _notify_unit(unit, issue, title=_("New issue for %(unit)s: %(code)s") % {"unit": unit.name,
                                                                            "code": issue.display_code},
                 dedupe_key=f"issue:{issue.pk}:assigned:{unit.pk}:{issue.events.count()}")
    return issue


@transaction.atomic
def start_issue(*, actor: Any, issue: Issue) -> Issue:
    issue = _locked(issue, actor)
    _refuse_status(issue, [IssueStatus.ASSIGNED])
    before = audit.snapshot(issue)
    issue.status = IssueStatus.IN_PROGRESS
    _event(issue, EventKind.STARTED, actor, to_unit=issue.organisation)
    return _save(issue, before, actor)


@transaction.atomic
def answer_issue(*, actor: Any, issue: Issue, answer: str) -> Issue:
    issue = _locked(issue, actor)
    _refuse_status(issue, [IssueStatus.ASSIGNED, IssueStatus.IN_PROGRESS, IssueStatus.REOPENED])
    errors: dict[str, str] = {}
    answer = _text(errors, "answer", answer, MAX_ANSWER, required=True, label=_("The answer"))
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(issue)
    issue.status = IssueStatus.ANSWERED
    issue.answer = answer
    issue.answered_at = timezone.now()
    issue.answered_by_unit = issue.organisation
    issue.due_on = None
    _event(issue, EventKind.ANSWERED, actor, to_unit=issue.organisation)
    return _save(issue, before, actor)


@transaction.atomic
def close_issue(*, actor: Any, issue: Issue, note: str = "") -> Issue:
    issue = _locked(issue, actor)
    _refuse_status(issue, [IssueStatus.ANSWERED])
    before = audit.snapshot(issue)
    issue.status = IssueStatus.CLOSED
    issue.closed_at = timezone.now()
    _event(issue, EventKind.CLOSED, actor, reason=_reason(note, required=False))
    return _save(issue, before, actor)


# --- what the citizen may do with the tracking code -------------------------------------------------


def can_reopen(issue: Issue, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (issue.status in (IssueStatus.ANSWERED, IssueStatus.CLOSED) and issue.reopened_at is None
            and issue.answered_at is not None and now - issue.answered_at <= dt.timedelta(days=reopen_days()))


def can_rate(issue: Issue) -> bool:
    return issue.status in (IssueStatus.ANSWERED, IssueStatus.CLOSED) and issue.rating is None


@transaction.atomic
def reopen_issue(*, issue: Issue, reason: str) -> Issue:
    """The citizen (holding the tracking code) reopens an answered issue, once, within the window."""
    issue = Issue.objects.select_for_update(of=("self",)).select_related("category", "organisation").get(pk=issue.pk)
    if not can_reopen(issue):
        raise ValidationError({"reason": _("This issue can no longer be reopened: it can be reopened once, "
                                           "within %(n)d days of the answer.") % {"n": reopen_days()}})
    reason = _reason(reason, required=True)
    before = audit.snapshot(issue)
    today = timezone.localdate()
    issue.status = IssueStatus.REOPENED
    issue.reopened_at = timezone.now()
    issue.closed_at = None
    issue.rating = None
    issue.rating_comment = ""
    issue.answer_due_on = add_working_days(today, issue.category.answer_days)
    issue.due_on = issue.answer_due_on
    _event(issue, EventKind.REOPENED, None, reason=reason)
    issue = _save(issue, before, None, note="reopened by the citizen")
    _notify_unit(issue.organisation, issue, title=_("Issue %(code)s was reopened by the citizen")
                 % {"code": issue.display_code}, dedupe_key=f"issue:{issue.pk}:reopened")
    return issue


@transaction.atomic
def rate_issue(*, issue: Issue, rating: int, comment: str = "") -> Issue:
    issue = Issue.objects.select_for_update(of=("self",)).select_related("category", "organisation").get(pk=issue.pk)
    if not can_rate(issue):
        raise ValidationError({"rating": _("This answer has already been rated, or there is no answer yet.")})
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
    errors: dict[str, str] = {}
    comment = _text(errors, "comment", comment, 500)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(issue)
    issue.rating = rating
    issue.rating_comment = comment
    _event(issue, EventKind.RATED, None, reason=f"{rating}/5")
    return _save(issue, before, None, note="rated by the citizen")


# --- SLA: escalation of overdue issues ------------------------------------------------------------


def _unit_users(unit: Organisation) -> list[Any]:
    assignments = RoleAssignment.objects.filter(organisation=unit, user__is_active=True).select_related("user")
    return [a.user for a in assignments]


def _notify_unit(unit: Organisation, issue: Issue, *, title: str, dedupe_key: str) -> int:
    users = _unit_users(unit)
    if not users:
        return 0
    body = _("%(category)s — %(area)s. Due %(due)s.") % {
        "category": issue.category.name, "area": issue.area or "—",
        "due": issue.due_on.strftime("%d/%m/%Y") if issue.due_on else "—"}
    url = issue.get_absolute_url()
    return notify(users=users, title=title, body=body, url=url, dedupe_key=dedupe_key)


def escalate_overdue(*, today: dt.date | None = None, limit: int = 1000) -> int:
    """Escalate each overdue open issue to the parent of its handling unit, once per stage, and
    notify that unit's users (in-app and e-mail). Returns how many issues were escalated."""
    today = today or timezone.localdate()
    candidates = (Issue.objects.overdue(today).exclude(escalated_stage=Stage.REOPENED)
                  .order_by("due_on", "pk").values_list("pk", flat=True)[:limit])
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            issue = Issue.objects.select_for_update(of=("self",)).select_related(
                "category", "organisation", "organisation__parent").get(pk=pk)
            stage = issue.stage
            if not issue.is_overdue(today) or not stage or issue.escalated_stage == stage:
                continue
            before = audit.snapshot(issue)
            unit = issue.organisation
            target = unit.parent if unit.parent_id and unit.parent and unit.parent.is_active else unit
            issue.escalated_to = target
            issue.escalated_stage = stage
            due = issue.due_on.strftime("%d/%m/%Y") if issue.due_on else ""
            _event(issue, EventKind.ESCALATED, None, from_unit=unit, to_unit=target, public=False,
                   reason=_("Overdue since %(due)s (%(stage)s).") % {"due": due, "stage": Stage(stage).label})
            _save(issue, before, None, note="escalated: overdue")
            title = _("Overdue issue %(code)s escalated to %(unit)s") % {"code": issue.display_code,
                                                                         "unit": target.name}
            _notify_unit(target, issue, title=title, dedupe_key=f"issue:{issue.pk}:escalated:{stage}")
            if target.pk != unit.pk:
                _notify_unit(unit, issue, title=title, dedupe_key=f"issue:{issue.pk}:overdue:{stage}")
            count += 1
    return count


def close_answered_after_window(*, now: dt.datetime | None = None) -> int:
    """Answered issues whose reopening window has passed are closed by the system."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=reopen_days())
    count = 0
    for pk in list(Issue.objects.filter(status=IssueStatus.ANSWERED, answered_at__lt=limit)
                   .values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            issue = Issue.objects.select_for_update(of=("self",)).select_related("category", "organisation").get(pk=pk)
            if issue.status != IssueStatus.ANSWERED:
                continue
            before = audit.snapshot(issue)
            issue.status = IssueStatus.CLOSED
            issue.closed_at = now
            _event(issue, EventKind.CLOSED, None, reason=_("Closed automatically after %(n)d days without "
                                                           "reopening.") % {"n": reopen_days()})
            _save(issue, before, None, note="closed after the reopening window")
            count += 1
    return count


# --- restructuring ----------------------------------------------------------------------------------


def hand_over_issues(*, source: Organisation, successor: Organisation, effective_on: dt.date, actor: Any) -> None:
    """A merged or split unit's open issues move to its successor (called in the merger's transaction)."""
    for issue in Issue.objects.filter(Q(organisation=source) | Q(escalated_to=source),
                                      status__in=OPEN_STATUSES).select_related("category", "organisation"):
        before = audit.snapshot(issue)
        moved = issue.organisation_id == source.pk
        if moved:
            issue.organisation = successor
        if issue.escalated_to_id == source.pk:
            issue.escalated_to = successor
        issue.save(update_fields=["organisation", "escalated_to", "updated_at"])
        if moved:
            _event(issue, EventKind.TRANSFERRED, actor, from_unit=source, to_unit=successor, public=False,
                   reason=_("Restructuring effective %(d)s") % {"d": effective_on.strftime("%d/%m/%Y")})
        audit.record(action=AuditAction.UPDATE, obj=issue, before=before, after=audit.snapshot(issue), actor=actor,
                     org_path=successor.path, note=_("moved to %(org)s") % {"org": successor.name})
    IssueCategory.objects.filter(default_unit=source).update(default_unit=successor)


# --- dialogues ------------------------------------------------------------------------------------


def _dialogue_fields(errors: dict[str, str], *, title: str, held_on: dt.date | None, participants_count: Any,
                     minutes: str, place: str) -> tuple[str, str, str]:
    title = _text(errors, "title", title, 255, required=True, label=_("The topic"))
    place = _text(errors, "place", place, 255)
    minutes = _text(errors, "minutes", minutes, 100_000)
    if held_on is None:
        errors["held_on"] = _("The date is required.")
    elif held_on > timezone.localdate() + dt.timedelta(days=366):
        errors["held_on"] = _("The date is too far in the future.")
    if participants_count is not None and (not isinstance(participants_count, int) or participants_count < 0
                                           or participants_count > 100_000):
        errors["participants_count"] = _("Enter a number of people from 0 to 100000.")
    return title, place, minutes


def _check_leaders(actor: Any, leaders: Iterable[Person]) -> list[Person]:
    leaders = list(leaders)
    visible = set(restrict(Person.objects.filter(pk__in=[p.pk for p in leaders]), actor, Action.VIEW)
                  .values_list("pk", flat=True))
    if any(p.pk not in visible for p in leaders):
        raise ValidationError({"leaders": _("Choose leaders from the people you can see.")})
    return leaders


@transaction.atomic
def create_dialogue(
    *, actor: Any, organisation: Organisation, title: str, held_on: dt.date | None, residential_area:
    Organisation | None = None, place: str = "", leaders: Iterable[Person] = (), participants_count: int = 0,
    minutes: str = "", attachments: Sequence[UploadedFile] = (),
) -> Dialogue:
    _require_on(actor, Action.ADD, organisation.path)
    errors: dict[str, str] = {}
    title, place, minutes = _dialogue_fields(errors, title=title, held_on=held_on,
                                             participants_count=participants_count, minutes=minutes, place=place)
    if residential_area is not None and not residential_area.path.startswith(organisation.path):
        errors["residential_area"] = _("Choose a residential area within the organising unit.")
    if errors:
        raise ValidationError(errors)
    leader_list = _check_leaders(actor, leaders)
    assert held_on is not None
    dialogue = Dialogue.objects.create(
        organisation=organisation, title=title, held_on=held_on, residential_area=residential_area, place=place,
        participants_count=participants_count or 0, minutes=minutes, created_by=_user(actor))
    dialogue.leaders.set(leader_list)
    for upload in attachments:
        _attach(dialogue, upload, actor)
    after = audit.snapshot(dialogue) or {}
    after["leaders"] = [p.pk for p in leader_list]
    audit.record(action=AuditAction.CREATE, obj=dialogue, after=after, actor=actor)
    return dialogue


_DIALOGUE_EDITABLE = {"title", "held_on", "residential_area", "place", "participants_count", "minutes", "leaders"}


@transaction.atomic
def update_dialogue(*, actor: Any, dialogue: Dialogue, **changes: Any) -> Dialogue:
    dialogue = restrict(Dialogue.objects.filter(pk=dialogue.pk), actor, Action.CHANGE).select_for_update().first()  # type: ignore[assignment]
    if dialogue is None:
        raise PermissionDenied(_("You do not have permission for this dialogue."))
    unknown = set(changes) - _DIALOGUE_EDITABLE
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    before = audit.snapshot(dialogue) or {}
    before["leaders"] = sorted(dialogue.leaders.values_list("pk", flat=True))
    leaders = changes.pop("leaders", None)
    for name, value in changes.items():
        setattr(dialogue, name, value)
    errors: dict[str, str] = {}
    dialogue.title, dialogue.place, dialogue.minutes = _dialogue_fields(
        errors, title=dialogue.title, held_on=dialogue.held_on, participants_count=dialogue.participants_count,
        minutes=dialogue.minutes, place=dialogue.place)
    if dialogue.residential_area is not None and not dialogue.residential_area.path.startswith(
            dialogue.organisation.path):
        errors["residential_area"] = _("Choose a residential area within the organising unit.")
    if errors:
        raise ValidationError(errors)
    dialogue.save()
    if leaders is not None:
        dialogue.leaders.set(_check_leaders(actor, leaders))
    after = audit.snapshot(dialogue) or {}
    after["leaders"] = sorted(dialogue.leaders.values_list("pk", flat=True))
    audit.record(action=AuditAction.UPDATE, obj=dialogue, before=before, after=after, actor=actor)
    return dialogue


def _attach(dialogue: Dialogue, upload: UploadedFile, actor: Any) -> DialogueAttachment:
    name = upload.name or "file"
    if is_image_name(name):
        content: Any = clean_image(upload)
        kind = "image/png" if content.name.endswith(".png") else "image/jpeg"
    else:
        content = clean_document(upload)
        kind = getattr(upload, "content_type", "") or "application/octet-stream"
    attachment = DialogueAttachment(dialogue=dialogue, original_name=name[:255], content_type=kind[:100],
                                    size=content.size or 0, uploaded_by=_user(actor))
    attachment.file.save(name if not is_image_name(name) else content.name, content, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def add_dialogue_attachment(*, actor: Any, dialogue: Dialogue, upload: UploadedFile) -> DialogueAttachment:
    _require_on(actor, Action.CHANGE, dialogue.organisation.path)
    try:
        attachment = _attach(dialogue, upload, actor)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    audit.record(action=AuditAction.CREATE, obj=attachment, after=audit.snapshot(attachment), actor=actor,
                 org_path=dialogue.organisation.path)
    return attachment


# --- categories (system administrators) ------------------------------------------------------------


_CATEGORY_FIELDS = {"name", "code", "description", "group", "keywords", "ack_days", "answer_days", "default_unit",
                    "public", "active", "sort_order"}


def category_sla_errors(*, ack_days: int, answer_days: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if ack_days > answer_days:
        errors["ack_days"] = _("Acknowledging cannot take longer than answering.")
    if answer_days < 1 or answer_days > 90:
        errors["answer_days"] = _("Between 1 and 90 working days.")
    return errors


@transaction.atomic
def save_category(*, actor: Any, category: IssueCategory | None = None, **fields: Any) -> IssueCategory:
    if not (getattr(actor, "is_superuser", False) or allowed_on_path(actor, Action.MANAGE_ROLES, intake_unit()[1])):
        raise PermissionDenied(_("Only an administrator of the intake unit can change issue categories."))
    unknown = set(fields) - _CATEGORY_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    before = audit.snapshot(category) if category else None
    category = category or IssueCategory()
    for name, value in fields.items():
        setattr(category, name, value)
    errors = category_sla_errors(ack_days=category.ack_days, answer_days=category.answer_days)
    category.name = _text(errors, "name", category.name, 150, required=True, label=_("The name"))
    if errors:
        raise ValidationError(errors)
    try:
        category.full_clean(exclude=["default_unit"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    category.save()
    audit.record(action=AuditAction.CREATE if before is None else AuditAction.UPDATE, obj=category, before=before,
                 after=audit.snapshot(category), actor=actor)
    return category


# --- Open311 clients --------------------------------------------------------------------------------


def _hash_key(key: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def can_manage_clients(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or allowed_on_path(actor, Action.MANAGE_ROLES,
                                                                        intake_unit()[1])


@transaction.atomic
def create_api_client(*, actor: Any, name: str, contact: str = "") -> tuple[ApiClient, str]:
    """Register an application and return it with its key, which is shown once and never stored."""
    if not can_manage_clients(actor):
        raise PermissionDenied(_("Only an administrator can issue Open311 keys."))
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 150, required=True, label=_("The name"))
    contact = _text(errors, "contact", contact, 200)
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(name=name, contact=contact, key_prefix=key[:8], key_hash=_hash_key(key),
                                      created_by=_user(actor))
    audit.record(action=AuditAction.CREATE, obj=client, after=audit.snapshot(client), actor=actor)
    return client, key


@transaction.atomic
def rotate_api_key(*, actor: Any, client: ApiClient) -> str:
    if not can_manage_clients(actor):
        raise PermissionDenied(_("Only an administrator can issue Open311 keys."))
    before = audit.snapshot(client)
    key = secrets.token_urlsafe(32)
    client.key_prefix, client.key_hash, client.active = key[:8], _hash_key(key), True
    client.save()
    audit.record(action=AuditAction.UPDATE, obj=client, before=before, after=audit.snapshot(client), actor=actor,
                 note="new key")
    return key


@transaction.atomic
def set_api_client_active(*, actor: Any, client: ApiClient, active: bool) -> ApiClient:
    if not can_manage_clients(actor):
        raise PermissionDenied(_("Only an administrator can issue Open311 keys."))
    before = audit.snapshot(client)
    client.active = active
    client.save()
    audit.record(action=AuditAction.UPDATE, obj=client, before=before, after=audit.snapshot(client), actor=actor)
    return client


def authenticate_api_key(key: str | None) -> ApiClient | None:
    if not key or len(key) < 8 or len(key) > 200:
        return None
    digest = _hash_key(key)
    for client in ApiClient.objects.filter(key_prefix=key[:8], active=True):
        if hmac.compare_digest(client.key_hash, digest):
            return client
    return None

"""Intake: a new issue from any channel (web form, Open311, staff, dialogue, household visit)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.contacts import contact_problem
from chithi.core.outbox import enqueue_with_transaction
from chithi.core.permissions import Action
from chithi.core.uploads import clean_image
from chithi.core.workdays import add_working_days
from chithi.core.writes import acting_user, require, save_new
from chithi.orgs.models import Organisation

from .. import codes, selectors, tasks
from ..models import ApiClient, Dialogue, EventKind, Issue, IssueCategory, IssueChannel, IssuePhoto
from .common import (
    HANDLER_ROLES,
    MAX_ADDRESS,
    MAX_AREA,
    MAX_CONTACT,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_PHOTOS,
    clean_text,
    notify_unit,
    record_event,
)

PUBLIC_CHANNELS = frozenset({IssueChannel.WEB, IssueChannel.OPEN311})
# A submission key: what a form's hidden field (uuid4 hex) or an app's Idempotency-Key header may hold.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def check_photos(photos: Sequence[UploadedFile]) -> list[ContentFile[bytes]]:
    """Re-encode each photo (EXIF and GPS dropped); refuse non-images, oversize files, too many."""
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    cleaned = []
    for photo in photos:
        try:
            content = clean_image(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
        content.original_name = (photo.name or content.name or "")[:255]  # type: ignore[attr-defined]
        cleaned.append(content)
    return cleaned


def _coordinate(errors: dict[str, str], name: str, value: Any, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        errors[name] = _("Not a number.")
        return None
    if not number.is_finite():  # NaN and infinity: comparing them raised a 500 (issue 9)
        errors[name] = _("Not a number.")
        return None
    if not (-limit <= number <= limit):
        errors[name] = _("Must be between -%(n)d and %(n)d.") % {"n": limit}
        return None
    return number


def _current(unit: Organisation) -> Organisation:
    """The unit, or the unit that succeeded it when it was merged away (followed along the chain)."""
    seen = {unit.pk}
    while not unit.is_active and unit.successor_id and unit.successor and unit.successor_id not in seen:
        unit = unit.successor
        seen.add(unit.pk)
    return unit


def _landing_unit(*, channel: str, category: IssueCategory, dialogue: Dialogue | None,
                  organisation: Organisation | None, area_unit: Organisation | None = None) -> tuple[int, str]:
    """(pk, path) of the unit whose queue receives the issue: the dialogue's unit, the unit staff named, or
    for the public channels the category's own unit where the category names one (security → the police),
    else the unit that serves the ward the citizen chose, else the intake unit. Whatever the tree is (wards
    under a city before 07/2025, under the province since), the ward's own committee receives it."""
    if dialogue is not None:
        unit = _current(dialogue.organisation)  # a dialogue of a merged unit: its successor follows the issue up
        return unit.pk, unit.path
    if channel in PUBLIC_CHANNELS:
        if category.default_unit_id and category.default_unit:
            default = _current(category.default_unit)
            if default.is_active:
                return default.pk, default.path
        if area_unit is not None:
            ward = _current(area_unit)
            if ward.is_active:
                return ward.pk, ward.path
        return selectors.intake_unit()
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the unit that receives the issue.")})
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This unit no longer exists.")})
    return organisation.pk, organisation.path


def _replayed(key: str, description: str) -> Issue | None:
    """The issue stored under `key`, if any, when this request is its retry (same description)."""
    stored = Issue.objects.filter(submission_key=key).first()
    if stored is None:
        return None
    if stored.description != description:
        raise ValidationError({"submission_key": _("This submission key was already used for another issue.")})
    stored.replayed = True  # type: ignore[attr-defined]
    return stored


def submit_issue(
    *, actor: Any, channel: str, category: IssueCategory | None, description: str,
    area_unit: Organisation | None = None, area: str = "", address: str = "",
    latitude: Decimal | float | str | None = None, longitude: Decimal | float | str | None = None,
    reporter_name: str = "", reporter_contact: str = "", consent_to_publish: bool = False,
    photos: Sequence[UploadedFile] = (), dialogue: Dialogue | None = None, organisation: Organisation | None = None,
    received_at: dt.datetime | None = None, api_client: ApiClient | None = None, submission_key: str = "",
) -> Issue:
    """Record a new issue from any channel and return it with its tracking code.

    Public channels (web, Open311) need no account and land in the category's default unit or the
    intake unit; staff channels (dialogue, visit, staff) land in the unit they name, which the
    actor must be allowed to add to.

    With a `submission_key`, a retry is the same submission: a citizen who pressed "send" during an outage
    (or whose answer was lost) and presses again gets the issue stored the first time, marked `replayed`,
    never a second one. The same key with another description is refused (a client bug, not a retry).
    """
    errors: dict[str, str] = {}
    submission_key = (submission_key or "").strip()
    if submission_key and not SUBMISSION_KEY.fullmatch(submission_key):
        errors["submission_key"] = _("The submission key must be 8 to 64 letters, digits, '-' or '_'.")
    if channel not in IssueChannel.values:
        errors["channel"] = _("Unknown channel.")
    if category is None or not category.active or (channel in PUBLIC_CHANNELS and not category.public):
        errors["category"] = _("Choose a kind of issue from the list.")
    description = clean_text(errors, "description", description, MAX_DESCRIPTION, required=True,
                             label=_("The description"))
    if "description" not in errors and len(description) < 10:
        errors["description"] = _("Describe the issue in a few words (at least 10 characters).")
    address = clean_text(errors, "address", address, MAX_ADDRESS)
    area = clean_text(errors, "area", area, MAX_AREA)
    reporter_name = clean_text(errors, "reporter_name", reporter_name, MAX_NAME)
    reporter_contact = clean_text(errors, "reporter_contact", reporter_contact, MAX_CONTACT)
    # What a citizen types must reach them; staff channels carry what a household's record holds, as it stands.
    if (channel in PUBLIC_CHANNELS and reporter_contact and "reporter_contact" not in errors
            and (problem := contact_problem(reporter_contact))):
        errors["reporter_contact"] = problem
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
    if submission_key and (stored := _replayed(submission_key, description)) is not None:
        return stored
    cleaned_photos = check_photos(photos)
    unit_pk, unit_path = _landing_unit(channel=channel, category=category, dialogue=dialogue,
                                       organisation=organisation, area_unit=area_unit)
    if channel not in PUBLIC_CHANNELS:
        require(actor, Action.ADD, unit_path)

    if not area:
        if area_unit is not None:
            area = selectors.ward_label(area_unit)
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
        created_by=acting_user(actor), submission_key=submission_key,
    )
    for attempt in range(5):
        # No savepoint around the insert: public intake is the hot path, and a code already taken (about
        # one chance in 10^15 per pair) is retried here with the whole transaction, with a new code.
        try:
            with transaction.atomic():
                issue.tracking_code = codes.new_code()
                save_new(issue, actor=actor, org_path=unit_path, note=str(IssueChannel(channel).label))
                record_event(issue, EventKind.RECEIVED, actor, at=received)
                for photo in cleaned_photos:
                    IssuePhoto.objects.create(
                        issue=issue, file=photo, original_name=photo.original_name,  # type: ignore[attr-defined]
                        content_type="image/png" if (photo.name or "").endswith(".png") else "image/jpeg",
                        size=photo.size, uploaded_by=acting_user(actor))
                if channel in PUBLIC_CHANNELS:
                    # Nobody watches a queue all day: the people who handle the unit's issues are told. The
                    # worker tells them (notify_received): finding them and writing their notices and e-mails
                    # cost more than storing the issue, and a citizen should not wait on a mail relay. Staff
                    # channels need no notice: the person who entered it is one of them.
                    enqueue_with_transaction(tasks.notify_new_issue, issue.pk)
            break
        except IntegrityError:
            issue.pk = None
            # Two requests with one key at the same moment: the unique constraint let one in; this one is its retry.
            if submission_key and (stored := _replayed(submission_key, description)) is not None:
                return stored
            if attempt == 4 or not Issue.objects.filter(tracking_code=issue.tracking_code).exists():
                raise
    return issue


def notify_received(issue_id: int) -> int:
    """Tell the handlers of the unit an issue is in now (or of the nearest unit above that has some) that it
    has arrived: in-app, and by e-mail once committed. Run by the worker (tasks.notify_new_issue); once per
    issue, however often it runs (the dedupe key). Returns how many people were newly told."""
    issue = Issue.objects.select_related("category", "organisation").filter(pk=issue_id).first()
    if issue is None:  # removed before the worker got to it (a merged-away duplicate, a spam clean-up)
        return 0
    unit = issue.organisation
    return notify_unit(unit, issue, title=_("New issue for %(unit)s: %(code)s")
                       % {"unit": unit.name, "code": issue.display_code},
                       dedupe_key=f"issue:{issue.pk}:received", roles=HANDLER_ROLES)

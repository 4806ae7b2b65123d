"""Dialogue sessions: record one with its leaders and files, edit it, attach a file later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.permissions import Action, restrict
from chithi.core.uploads import checked_content_type, clean_document, clean_image, is_image_name
from chithi.core.writes import acting_user, locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation, Person

from .. import policy
from ..models import Dialogue, DialogueAttachment
from .common import clean_text

DIALOGUE_FIELDS = ("title", "held_on", "residential_area", "place", "participants_count", "minutes")


def _validate_dialogue(dialogue: Dialogue) -> None:
    """Trim the texts and check the whole dialogue (a new one or one being edited)."""
    errors: dict[str, str] = {}
    dialogue.title = clean_text(errors, "title", dialogue.title, 255, required=True, label=_("The topic"))
    dialogue.place = clean_text(errors, "place", dialogue.place, 255)
    dialogue.minutes = clean_text(errors, "minutes", dialogue.minutes, 100_000)
    if dialogue.held_on is None:
        errors["held_on"] = _("The date is required.")
    elif dialogue.held_on > timezone.localdate() + dt.timedelta(days=366):
        errors["held_on"] = _("The date is too far in the future.")
    count = dialogue.participants_count
    if count is not None and (not isinstance(count, int) or count < 0 or count > 100_000):
        errors["participants_count"] = _("Enter a number of people from 0 to 100000.")
    area = dialogue.residential_area
    if area is not None and not area.path.startswith(dialogue.organisation.path):
        errors["residential_area"] = _("Choose a residential area within the organising unit.")
    if errors:
        raise ValidationError(errors)


def _visible_leaders(actor: Any, leaders: Iterable[Person]) -> list[Person]:
    leaders = list(leaders)
    visible = set(restrict(Person.objects.filter(pk__in=[p.pk for p in leaders]), actor, Action.VIEW)
                  .values_list("pk", flat=True))
    if any(p.pk not in visible for p in leaders):
        raise ValidationError({"leaders": _("Choose leaders from the people you can see.")})
    return leaders


def _leader_ids(dialogue: Dialogue) -> list[int]:
    return sorted(dialogue.leaders.values_list("pk", flat=True))


def _attach(dialogue: Dialogue, upload: UploadedFile, actor: Any) -> DialogueAttachment:
    """A checked file (images re-encoded) saved as the dialogue's attachment, in its history too."""
    name = upload.name or "file"
    if is_image_name(name):
        content: Any = clean_image(upload)
        kind = checked_content_type(content.name)
        stored_name = content.name
    else:
        content = clean_document(upload)
        kind = checked_content_type(name)  # from the checked extension, never the client's claim (issue 9)
        stored_name = name
    attachment = DialogueAttachment(dialogue=dialogue, original_name=name[:255], content_type=kind[:100],
                                    size=content.size or 0, uploaded_by=acting_user(actor))
    attachment.file.save(stored_name, content, save=False)
    return save_new(attachment, actor=actor, org_path=dialogue.organisation.path, related=dialogue)


@transaction.atomic
def create_dialogue(
    *, actor: Any, organisation: Organisation, title: str, held_on: dt.date | None, residential_area:
    Organisation | None = None, place: str = "", leaders: Iterable[Person] = (), participants_count: int = 0,
    minutes: str = "", attachments: Sequence[UploadedFile] = (),
) -> Dialogue:
    require(actor, Action.ADD, organisation.path)
    require_active(organisation, on=held_on)  # a dialogue it held before it ceased is its history
    dialogue = Dialogue(organisation=organisation, title=title, held_on=held_on,  # type: ignore[misc]  # None: refused below
                        residential_area=residential_area, place=place, participants_count=participants_count or 0,
                        minutes=minutes, created_by=acting_user(actor))
    _validate_dialogue(dialogue)
    leader_list = _visible_leaders(actor, leaders)
    # Not save_new: the leaders (many-to-many) can only be set once the row exists, and belong in its entry.
    dialogue.save()
    dialogue.leaders.set(leader_list)
    audit.record(action=AuditAction.CREATE, obj=dialogue, after={**(audit.snapshot(dialogue) or {}),
                                                                  "leaders": _leader_ids(dialogue)}, actor=actor)
    for upload in attachments:
        _attach(dialogue, upload, actor)
    return dialogue


@transaction.atomic
def update_dialogue(*, actor: Any, dialogue: Dialogue, **changes: Any) -> Dialogue:
    """Change what was recorded; `leaders` (people the actor can see) replaces the list of leaders."""
    policy.DIALOGUE.check(actor, "edit", dialogue)
    leaders = changes.pop("leaders", None)
    dialogue, _changed = model_update(instance=locked(dialogue), data=changes, fields=DIALOGUE_FIELDS, actor=actor,
                                      validate=_validate_dialogue)
    if leaders is not None:
        before = _leader_ids(dialogue)
        dialogue.leaders.set(_visible_leaders(actor, leaders))
        if _leader_ids(dialogue) != before:
            audit.record(action=AuditAction.UPDATE, obj=dialogue, before={"leaders": before},
                         after={"leaders": _leader_ids(dialogue)}, actor=actor)
    return dialogue


@transaction.atomic
def add_dialogue_attachment(*, actor: Any, dialogue: Dialogue, upload: UploadedFile) -> DialogueAttachment:
    policy.DIALOGUE.check(actor, "attach", dialogue)
    try:
        return _attach(dialogue, upload, actor)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc

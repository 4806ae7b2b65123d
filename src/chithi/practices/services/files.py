"""Writes for a practice's photos and documents: uploads checked (and images re-encoded) before storing."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.uploads import clean_document, clean_image, is_image_name
from chithi.core.writes import acting_user, save_new

from ..models import Practice, PracticeDocument, PracticePhoto
from ..policy import CHANGE, PRACTICE


def _checked[T](check: Callable[[UploadedFile], T], upload: UploadedFile) -> T:
    """The upload through core.uploads' check, its refusal named after the form's `file` field."""
    try:
        return check(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


@transaction.atomic
def add_photo(*, actor: Any, practice: Practice, upload: UploadedFile, caption: str = "",
              is_public: bool = True) -> PracticePhoto:
    """The image is decoded and re-encoded (EXIF, GPS and every other metadata dropped) before storing."""
    PRACTICE.check(actor, CHANGE, practice)
    cleaned = _checked(clean_image, upload)
    stored_name = cleaned.name or "image.jpg"
    photo = PracticePhoto(practice=practice, caption=caption.strip()[:300], is_public=is_public,
                          original_name=(upload.name or "")[:255],
                          content_type="image/png" if stored_name.endswith(".png") else "image/jpeg", size=cleaned.size,
                          uploaded_by=acting_user(actor))
    photo.file.save(stored_name, cleaned, save=False)
    return save_new(photo, actor=actor, note=str(practice), related=practice)


@transaction.atomic
def add_document(*, actor: Any, practice: Practice, upload: UploadedFile, title: str = "",
                 is_public: bool = False) -> PracticeDocument:
    PRACTICE.check(actor, CHANGE, practice)
    if is_image_name(upload.name or ""):
        raise ValidationError({"file": _("Add pictures as photos; documents are PDF, Word, Excel or text.")})
    cleaned = _checked(clean_document, upload)
    document = PracticeDocument(practice=practice, title=(title.strip() or cleaned.name or "")[:300],
                                is_public=is_public, original_name=(cleaned.name or "")[:255],
                                # From the checked extension, never from what the client claimed.
                                content_type=mimetypes.guess_type(cleaned.name or "")[0] or "application/octet-stream",
                                size=cleaned.size or 0, uploaded_by=acting_user(actor))
    document.file.save(cleaned.name or "document", cleaned, save=False)
    return save_new(document, actor=actor, note=str(practice), related=practice)


@transaction.atomic
def delete_attachment(*, actor: Any, attachment: PracticePhoto | PracticeDocument) -> None:
    practice = attachment.practice
    PRACTICE.check(actor, CHANGE, practice)
    audit.record(action=AuditAction.DELETE, obj=attachment, before=audit.snapshot(attachment), actor=actor,
                 note=str(practice), related=practice)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name) if name else None)

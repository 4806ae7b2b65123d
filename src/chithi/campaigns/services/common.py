"""Checks and helpers several of the room's services share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from chithi.core.uploads import clean_document, clean_image, is_image_name


def clean_upload(upload: UploadedFile) -> tuple[Any, str]:
    """A checked file and the name to show: images re-encoded, documents checked by their first bytes.
    A refused file is a ValidationError on the form's `file` field."""
    name = (upload.name or "file")[:255]
    try:
        return (clean_image(upload) if is_image_name(name) else clean_document(upload)), name
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def one_line(text: str | None) -> str:
    """Titles and theme texts: surrounding and repeated spaces dropped."""
    return " ".join((text or "").split())

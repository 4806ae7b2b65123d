"""Checked uploads: images are decoded and re-encoded (EXIF/GPS gone); documents must be what they say."""

from __future__ import annotations

import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # the default of settings.CHITHI_MAX_IMAGE_PIXELS: a phone's photo, with room
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_IMAGE_SIDE = 2560

# Leading bytes of the document types offices exchange.
_DOCUMENT_MAGIC = {
    ".pdf": [b"%PDF-"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".pptx": [b"PK\x03\x04"],
    ".odt": [b"PK\x03\x04"],
    ".ods": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
    ".xls": [b"\xd0\xcf\x11\xe0"],
    ".txt": [b""],
}


def _too_many_pixels(upload: UploadedFile, max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The image %(name)s has too many pixels; at most %(limit)d megapixels.")
        % {"name": upload.name, "limit": max_pixels // 1_000_000}, code="too_many_pixels")


# The type each accepted kind of file is stored and served as, from its checked extension and leading bytes —
# never the type the client declared (issue 9: an attachment named .pdf but declared text/html was served as
# HTML). Images are re-encoded by clean_image into PNG or JPEG.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}


def checked_content_type(name: str | None) -> str:
    """The type to store and serve for a file that passed clean_document/clean_image under this name (or the
    stored name clean_image gave it); anything else is served as an opaque download."""
    return CONTENT_TYPES.get(os.path.splitext(name or "")[1].lower(), "application/octet-stream")


def clean_image(upload: UploadedFile, *, max_bytes: int = MAX_IMAGE_BYTES) -> ContentFile[bytes]:
    """Decode the upload as an image and re-encode it: only pixels survive, never metadata."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The image %(name)s is larger than %(limit)d MB.")
            % {"name": upload.name, "limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    max_pixels = int(getattr(settings, "CHITHI_MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS))
    # Pillow only refuses above twice its limit (it merely warns between), so an 8000×8000 PNG of 187 KB was
    # decoded into 256 MB. Refuse by the size the header declares, before a pixel is decoded (issue 9).
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        upload.seek(0)
        with Image.open(upload) as probe:  # reads the header only
            width, height = probe.size
            if width * height > max_pixels:  # only the first frame of an animation is ever decoded
                raise _too_many_pixels(upload, max_pixels)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)  # keep the orientation the camera meant
            has_alpha = image.mode in ("RGBA", "LA", "P")
            image = image.convert("RGBA" if has_alpha else "RGB")
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = io.BytesIO()
            if has_alpha:
                image.save(out, format="PNG", optimize=True)
                ext = "png"
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
                ext = "jpg"
    except Image.DecompressionBombError as exc:  # Pillow's own refusal, at twice the limit, as it opens
        raise _too_many_pixels(upload, max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The file %(name)s is not an image (JPEG, PNG, GIF or WebP).") % {"name": upload.name},
            code="not_image",
        ) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")


def clean_document(upload: UploadedFile, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> UploadedFile:
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lower()
    if ext in {".jpg", ".jpeg", ".png", ".gif", ".webp"}:
        return upload  # images go through clean_image by the caller
    if ext not in _DOCUMENT_MAGIC:
        raise ValidationError(
            _("The file type %(ext)s is not accepted. Accepted: PDF, Word, Excel, text.") % {"ext": ext or "?"},
            code="bad_type",
        )
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in _DOCUMENT_MAGIC[ext]):
        raise ValidationError(
            _("The file %(name)s is not a valid %(ext)s file.") % {"name": name, "ext": ext}, code="bad_content"
        )
    return upload


def is_image_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in {".jpg", ".jpeg", ".png", ".gif", ".webp"}

"""Article pictures: checked and re-encoded by core.uploads (EXIF and GPS gone), then stored in the widths a
phone or a desktop needs, for srcset. A text alternative is required."""

from __future__ import annotations

import io
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from chithi.core.uploads import clean_image
from chithi.core.writes import acting_user, locked, save_new

from .. import policy
from ..models import Article, ArticleImage
from .articles import _visible_change

# A phone (one and a half or two pixels a point on a 390-point screen), a tablet or a column, a desktop.
WIDTHS = (480, 960, 1440)


def _renditions(data: bytes, stored_name: str) -> tuple[dict[str, str], int, int]:
    """Write the widths below the picture's own (and the picture itself when narrower than all)."""
    stem, ext = os.path.splitext(stored_name)
    fmt = "PNG" if ext == ".png" else "JPEG"
    with Image.open(io.BytesIO(data)) as picture:  # our own re-encoded output, at most 2560 px a side
        picture.load()
        width, height = picture.size
        made: dict[str, str] = {}
        for target in [w for w in WIDTHS if w < width] or [width]:
            copy = picture.copy()
            copy.thumbnail((target, round(height * target / width) or 1))
            out = io.BytesIO()
            copy.save(out, format=fmt, **({"quality": 82, "optimize": True, "progressive": True}
                                          if fmt == "JPEG" else {"optimize": True}))
            made[str(target)] = default_storage.save(f"{stem}-{target}{ext}", ContentFile(out.getvalue()))
    return made, width, height


@transaction.atomic
def add_image(*, actor: Any, article: Article, upload: UploadedFile, alt: str, caption: str = "", credit: str = "",
              lead: bool = False) -> ArticleImage:
    """Attach a picture; place it in the body with the marker shown on the article's page (`[ảnh:ID]`)."""
    article = locked(article)
    policy.ARTICLE.check(actor, "images", article)
    if not alt.strip():
        raise ValidationError({"alt": _("Describe what the picture shows: readers who cannot see it hear this "
                                         "text instead.")})
    try:
        cleaned = clean_image(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    data = cleaned.read()
    stored = default_storage.save(f"portal/{cleaned.name}", ContentFile(data))
    renditions, width, height = _renditions(data, stored)
    image = ArticleImage(article=article, original_name=(upload.name or "")[:255], size=len(data),
                         content_type="image/png" if stored.endswith(".png") else "image/jpeg",
                         uploaded_by=acting_user(actor), alt=alt.strip()[:300], caption=caption.strip()[:500],
                         credit=credit.strip()[:150], width=width, height=height, renditions=renditions)
    image.file.name = stored
    save_new(image, actor=actor, related=article)
    if lead or article.lead_image_id is None:
        Article.objects.filter(pk=article.pk).update(lead_image=image)
        article.lead_image = image
    _visible_change(article)
    return image

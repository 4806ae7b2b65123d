"""News categories: few, site-wide, set up by an administrator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chithi.core.search import folded_words
from chithi.core.writes import save_new

from ..models import Category


@transaction.atomic
def create_category(*, actor: Any, name: str, slug: str = "", description: str = "",
                    sort_order: int = 100) -> Category:
    """Only a superuser (or the system, for the demo) adds a category: they are the whole site's sections."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator of the whole site may add news categories."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    slug = slug or slugify(folded_words(name))[:80]
    if Category.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("The address “%(slug)s” is already used by another category.")
                               % {"slug": slug}})
    return save_new(Category(name=name[:150], slug=slug, description=description, sort_order=sort_order),
                    actor=actor)

"""Writes for directives and resolutions, and the documents attached to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.permissions import Action
from chithi.core.writes import acting_user, locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation

from .. import policy
from ..models import Directive, DirectiveAttachment, DirectiveKind
from .common import clean_upload

DIRECTIVE_FIELDS = ("kind", "number", "issued_on", "issuer", "title", "summary")


def _validate_directive(directive: Directive) -> None:
    errors: dict[str, str] = {}
    if not directive.number.strip():
        errors["number"] = _("The number is required (e.g. 05-CT/TW).")
    if not directive.title.strip():
        errors["title"] = _("The title is required.")
    if not directive.issuer.strip():
        errors["issuer"] = _("Say who issued it (e.g. Bộ Chính trị).")
    if directive.kind not in DirectiveKind.values:
        errors["kind"] = _("Unknown kind of document.")
    if directive.issued_on and directive.issued_on > dt.date.today():
        errors["issued_on"] = _("The date of issue is in the future.")
    if not errors and Directive.objects.filter(
        organisation=directive.organisation_id, number__iexact=directive.number.strip(),
        issued_on=directive.issued_on,
    ).exclude(pk=directive.pk).exists():
        errors["number"] = _("This document is already recorded.")
    if errors:
        raise ValidationError(errors)


def _trimmed(data: dict[str, Any]) -> dict[str, Any]:
    """The number and the title without surrounding spaces (so "05-CT/TW " is the same document)."""
    return {name: value.strip() if name in ("number", "title") and isinstance(value, str) else value
            for name, value in data.items()}


@transaction.atomic
def create_directive(
    *, actor: Any, organisation: Organisation, number: str, issued_on: dt.date, issuer: str, title: str,
    summary: str = "", kind: str = DirectiveKind.DIRECTIVE,
) -> Directive:
    require(actor, Action.ADD, organisation.path)
    require_active(organisation)
    directive = Directive(organisation=organisation, issued_on=issued_on, kind=kind, summary=summary or "",
                          issuer=issuer or "", **_trimmed({"number": number or "", "title": title or ""}))
    _validate_directive(directive)
    return save_new(directive, actor=actor)


@transaction.atomic
def update_directive(*, actor: Any, directive: Directive, **changes: Any) -> Directive:
    policy.DIRECTIVE.check(actor, "edit", directive)
    directive, _changed = model_update(instance=locked(directive), data=_trimmed(changes), fields=DIRECTIVE_FIELDS,
                                       actor=actor, validate=_validate_directive)
    return directive


@transaction.atomic
def add_directive_attachment(*, actor: Any, directive: Directive, upload: UploadedFile) -> DirectiveAttachment:
    policy.DIRECTIVE.check(actor, "attach", directive)
    content, name = clean_upload(upload)
    attachment = DirectiveAttachment(directive=directive, original_name=name, uploaded_by=acting_user(actor),
                                     content_type=getattr(upload, "content_type", "") or "",
                                     size=content.size or 0)
    attachment.file.save(content.name or name, content, save=False)
    return save_new(attachment, actor=actor, org_path=directive.organisation.path, related=directive)

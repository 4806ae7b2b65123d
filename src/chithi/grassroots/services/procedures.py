"""The configurable list of procedures helped with at home (edited by administrators in the admin)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.writes import model_update, save_new

from ..models import Procedure
from .common import clean_text, raise_if

PROCEDURE_FIELDS = ("code", "name", "active", "position")
# The list a new installation starts with (migration 0002 writes the same; administrators edit it afterwards).
DEFAULT_PROCEDURES = [
    ("cccd-chip", "Cấp, đổi thẻ căn cước (gắn chip)"),
    ("vneid", "Kích hoạt tài khoản định danh điện tử (VNeID) mức 2"),
    ("cu-tru", "Đăng ký thường trú, tạm trú"),
    ("xac-nhan-cu-tru", "Xác nhận thông tin cư trú"),
    ("khai-tu", "Đăng ký khai tử"),
    ("tro-cap", "Hồ sơ trợ cấp xã hội"),
]
_CODE = re.compile(r"^[a-z0-9-]+$")


def validate_procedure(procedure: Procedure) -> None:
    errors: dict[str, Any] = {}
    procedure.name = clean_text(errors, "name", procedure.name, max_length=200, required=True)
    if not _CODE.match(procedure.code or ""):
        errors["code"] = _("A code is lower-case letters, digits and dashes.")
    elif Procedure.objects.filter(code=procedure.code).exclude(pk=procedure.pk).exists():
        errors["code"] = _("Another procedure has this code.")
    raise_if(errors)


@transaction.atomic
def save_procedure(*, actor: Any, procedure: Procedure | None = None, **data: Any) -> Procedure:
    """Add or change a procedure of the list (administrators of the whole system only: it is one list for all)."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a system administrator edits the list of procedures."))
    if procedure is None:
        procedure = Procedure(**data)
        validate_procedure(procedure)
        return save_new(procedure, actor=actor, org_path="")
    procedure, _changed = model_update(instance=procedure, data=data, fields=PROCEDURE_FIELDS, actor=actor,
                                       validate=validate_procedure, org_path="")
    return procedure


def ensure_default_procedures() -> None:
    """Put back the starting list where it is missing (a database emptied after its migrations, e.g. in tests)."""
    for position, (code, name) in enumerate(DEFAULT_PROCEDURES, start=1):
        Procedure.objects.get_or_create(code=code, defaults={"name": name, "position": position})

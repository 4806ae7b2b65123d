"""An XLSX file posted to a room's `import/` action: the action with its OpenAPI request body, and the file's
bytes or a field error that says what is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request

XLSX_REQUEST = {"multipart/form-data": {"type": "object", "properties": {
    "file": {"type": "string", "format": "binary"}}}}


def xlsx_import(*, responses: dict[int, Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`POST <list>/import/` with the file in the form field `file`; `responses` as for extend_schema."""
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        routed = action(detail=False, methods=["post"], parser_classes=[MultiPartParser], url_path="import")(method)
        return extend_schema(request=XLSX_REQUEST, responses=responses)(routed)
    return decorate


def uploaded_xlsx(request: Request) -> bytes:
    upload = request.FILES.get("file")
    if upload is None:
        raise serializers.ValidationError({"file": [_("Attach an .xlsx file as 'file'.")]})
    return upload.read()

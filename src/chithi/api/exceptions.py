"""API errors: a service's Django ValidationError becomes a 400 with field errors; a
PermissionDenied from a service becomes a 404 (outside scope is never revealed)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from chithi.core.xlsx import ImportRejected


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.NotFound()
    elif isinstance(exc, ImportRejected):
        return Response({"errors": [{"row": e.row, "column": e.column, "message": e.message}
                                    for e in exc.errors]}, status=400)
    return drf_exception_handler(exc, context)

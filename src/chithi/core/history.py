"""An object's history page: its audit entries, newest first, paginated. The caller has already
fetched the object through restrict(), so reaching this page means the user may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import AuditEntry
from .pagination import paginate, query_without_page


def object_history(*, obj: Any) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_object(obj).select_related("user")


def history_page(request: HttpRequest, obj: Any, *, back_url: str | None = None) -> HttpResponse:
    return render(request, "core/object_history.html", {
        "object": obj, "page": paginate(request, object_history(obj=obj)),
        "back_url": back_url if back_url is not None else obj.get_absolute_url(),
        "query": query_without_page(request)})

"""Pagination for HTML lists: every long list is paged."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, object_list: Any, per_page: int = PER_PAGE) -> Page:  # type: ignore[type-arg]
    paginator = Paginator(object_list, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

"""Pagination for HTML lists: every long list is paged."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PER_PAGE = 50


def paginate(request: HttpRequest, object_list: Any, per_page: int = PER_PAGE) -> Page:  # type: ignore[type-arg]
    paginator = Paginator(object_list, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def list_page(request: HttpRequest, template: str, filterset_class: type[Any], queryset: Any,
              **context: Any) -> HttpResponse:
    """Render a room's filtered, paged list: the filter form, one page of its rows and the query string without
    the page (for the pager's links). Every list view of every room goes through here, so paging and the
    filter's context keys are the same everywhere; `context` adds the page's own keys (e.g. can_add)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return render(request, template, {"filter": filterset, "page": paginate(request, filterset.qs),
                                      "query": query_without_page(request), **context})

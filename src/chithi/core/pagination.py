"""Pagination for HTML lists: every long list is paged."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

PER_PAGE = 50
# Lists count at most this many rows. An exact count over millions (5 million answered issues on the public list,
# 10 million in a national queue) costs more than the page itself (0.5–2 s); beyond the cap a list says "more
# than 10.000" and its pages stop there — filters, not page 4,000, are how one finds a row in such a list.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP
        self.capped = False

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "query"):  # a list: its length is free
            return len(self.object_list)
        found: int = self.object_list[: self.cap + 1].count()  # type: ignore[attr-defined]
        self.capped = found > self.cap
        return min(found, self.cap)


def paginate(request: HttpRequest, object_list: Any, per_page: int = PER_PAGE) -> Page:  # type: ignore[type-arg]
    paginator = CappedPaginator(object_list, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def list_page(request: HttpRequest, template: str, filterset_class: type[Any] | None, queryset: Any, *,
              rows_template: str = "", **context: Any) -> HttpResponse:
    """Render a room's filtered, paged list: the filter form, one page of its rows and the query string without
    the page (for the pager's links). Every list view of every room goes through here, so paging and the
    filter's context keys are the same everywhere; `context` adds the page's own keys (e.g. can_add).
    Without a FilterSet the rows are paged as given (the page filters them itself, or not at all). With
    `rows_template`, an htmx request (the filters changed) gets that template: the rows alone."""
    if filterset_class is not None:
        context["filter"] = filterset = filterset_class(request.GET, queryset=queryset, request=request)
        queryset = filterset.qs
    chosen = rows_template if rows_template and request.htmx else template  # type: ignore[attr-defined]
    return render(request, chosen, {"page": paginate(request, queryset), "query": query_without_page(request),
                                    **context})

"""The sitemap (django.contrib.sitemaps): the public pages, every live article, the categories and the public
practices, with absolute addresses from SITE_URL."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from . import conf, selectors
from .models import Article, Category


class _SiteSitemap(Sitemap):  # type: ignore[type-arg]
    limit = 5000

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(conf.site_url()).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(conf.site_url()).scheme or "https"


class PagesSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["core:home", "portal:news", "portal:figures", "dialogues:transparency", "practices:showcase",
                "dialogues:intake"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(_SiteSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Article]:
        return Article.objects.live().only("slug", "updated_at").order_by("-published_at", "-id")

    def location(self, item: Article) -> str:
        return item.get_public_url()

    def lastmod(self, item: Article) -> dt.datetime:
        return item.updated_at


class CategorySitemap(_SiteSitemap):
    def items(self) -> QuerySet[Category]:
        return selectors.public_categories()


class PracticeSitemap(_SiteSitemap):
    def items(self) -> QuerySet[Any]:
        from chithi.practices.selectors import public_practices

        return public_practices(include_replications=True).select_related(None).only("pk", "updated_at").order_by("pk")

    def location(self, item: Any) -> str:
        return str(item.get_public_url())

    def lastmod(self, item: Any) -> dt.datetime:
        return item.updated_at  # type: ignore[no-any-return]


SITEMAPS = {"trang": PagesSitemap, "tin-tuc": ArticleSitemap, "chuyen-muc": CategorySitemap,
            "mo-hinh": PracticeSitemap}

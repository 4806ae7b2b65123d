"""RSS and Atom feeds of the news, for the whole site and for each category (django.contrib.syndication)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from chithi.core.views import public

from . import conf, selectors
from .models import Article, Category

ITEMS = 30


class NewsFeed(Feed):  # type: ignore[type-arg]
    """The latest articles; with a category slug, that category's."""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Category | None:
        return selectors.public_category(slug=slug) if slug else None

    def title(self, obj: Category | None) -> str:
        return f"{obj.name} · chithi" if obj else _("News") + " · chithi"

    def link(self, obj: Category | None) -> str:
        return obj.get_absolute_url() if obj else "/tin-tuc/"

    def description(self, obj: Category | None) -> str:
        return (obj.description if obj and obj.description else
                _("News on studying and following Hồ Chí Minh's thought, morality and style"))

    def items(self, obj: Category | None) -> QuerySet[Article]:
        articles = selectors.live_articles()
        return (articles.filter(category=obj) if obj else articles)[:ITEMS]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_public_url()

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.byline

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name]

    def get_feed(self, obj: Any, request: HttpRequest) -> Any:
        """Absolute links start with SITE_URL, not with whatever host the request named."""
        feed = super().get_feed(obj, request)
        here, site = f"{request.scheme}://{request.get_host()}", conf.site_url()

        def fix(url: str | None) -> str | None:
            return site + url[len(here):] if url and url.startswith(here) else url

        feed.feed["link"], feed.feed["feed_url"] = fix(feed.feed["link"]), fix(feed.feed.get("feed_url"))
        for item in feed.items:
            item["link"], item["unique_id"] = fix(item["link"]), fix(item.get("unique_id"))
        return feed


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Category | None) -> str:
        return self.description(obj)


rss = public(NewsFeed())
atom = public(AtomNewsFeed())

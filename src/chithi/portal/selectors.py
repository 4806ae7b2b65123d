"""Reads for the public site: what visitors see (live articles, approved feedback, public figures) and what staff
see, always through restrict()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from chithi.core.permissions import Action, get_scoped_or_404, restrict

from .models import PUBLIC_FEEDBACK, Article, ArticleImage, ArticleQuerySet, Category, Feedback

FIGURES_SECONDS = 1800  # kept half an hour; `manage.py portal_figures` recounts them every ten minutes
INLINE_LIMIT = 200_000


# --- visitors -------------------------------------------------------------------------------------


def live_articles() -> ArticleQuerySet:
    return Article.objects.live().select_related("category", "lead_image").order_by("-published_at", "-id")


def public_article(*, slug: str) -> Article:
    article = live_articles().select_related("issue_category", "organisation").filter(slug=slug[:120]).first()
    if article is None:
        raise Http404
    return article


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("sort_order", "name")


def public_category(*, slug: str) -> Category:
    category = public_categories().filter(slug=slug[:80]).first()
    if category is None:
        raise Http404
    return category


def featured_and_latest(*, featured: int = 1, latest: int = 6) -> tuple[list[Article], list[Article]]:
    """The home page's lead stories (featured, newest first) and the latest of the rest."""
    top = list(live_articles().filter(featured=True)[:featured])
    rest = list(live_articles().exclude(pk__in=[a.pk for a in top])[:latest])
    return top, rest


def other_news(article: Article, *, limit: int = 5) -> list[Article]:
    """"Các tin khác": earlier articles of the same category."""
    return list(live_articles().filter(category=article.category_id, published_at__lt=article.published_at)
                .exclude(pk=article.pk)[:limit])


def latest_news(*, exclude: Article | None = None, limit: int = 5) -> list[Article]:
    """"Mới nhất": the newest articles of every category."""
    articles = live_articles()
    return list((articles.exclude(pk=exclude.pk) if exclude is not None else articles)[:limit])


def article_images(article: Article) -> dict[int, ArticleImage]:
    return {image.pk: image for image in article.images.all()}


def public_feedback(article: Article) -> QuerySet[Feedback]:
    return article.feedback.filter(status__in=PUBLIC_FEEDBACK).order_by("created_at", "id")


def related_practices(article: Article) -> list[Any]:
    from chithi.practices.selectors import public_practices

    return list(public_practices(include_replications=True).filter(articles=article).order_by("sort_key")[:6])


def related_issues(article: Article, *, limit: int = 3) -> list[dict[str, Any]]:
    """Recent answered issues of the article's issue category, as the answers page shows them."""
    if article.issue_category_id is None:
        return []
    from chithi.dialogues.public import redact
    from chithi.dialogues.selectors import published_issues

    issues = published_issues().filter(category=article.issue_category_id)[:limit]
    return [{"issue": issue, "answer": redact(issue.answer, name=issue.reporter_name)} for issue in issues]


def home_panel(*, user: Any, obj: Any) -> dict[str, Any]:
    """The citizens' home page section: the lead story, the latest news and this year's figures."""
    top, rest = featured_and_latest(featured=1, latest=6)
    figures = public_figures(period_start(timezone.localdate()), timezone.localdate())
    if not top and not rest and not (figures and figures["summary"].received):
        return {}
    return {"featured": top, "latest": rest, "summary": figures["summary"] if figures else None,
            "categories": list(public_categories())}


# --- public figures -------------------------------------------------------------------------------


def period_start(today: dt.date) -> dt.date:
    """The public figures cover the last twelve months by default (this month included)."""
    month = today.replace(day=1)
    return (month - dt.timedelta(days=335)).replace(day=1)


def _few_issues() -> bool:
    """Few enough issues to count them while a visitor waits (the highest id bounds the count, one index read)."""
    from chithi.dialogues.models import Issue

    highest = Issue.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (highest or 0) <= INLINE_LIMIT


def public_figures(start: dt.date, end: dt.date, *, refresh: bool = False) -> dict[str, Any] | None:
    """The figures of the public subset of issues for the period (dialogues.figures), from the cache.

    A small installation counts them on the first request; past INLINE_LIMIT issues they are counted only by
    `manage.py portal_figures` (cron, every ten minutes), never in a request: at ten million issues a count
    takes minutes. None: not counted yet."""
    from chithi.dialogues import figures

    key = f"portal:figures:{start:%Y%m%d}:{end:%Y%m%d}"
    found = None if refresh else cache.get(key)
    if found is None and (refresh or _few_issues()):
        issues = figures.public_subset()
        parts = figures.breakdown(issues, start=start, end=end)
        found = {"summary": figures.summary(issues, start=start, end=end), "months": parts.by_month,
                 "categories": parts.by_category, "wards": parts.by_ward, "as_of": timezone.now()}
        cache.set(key, found, FIGURES_SECONDS)
    return found  # type: ignore[no-any-return]


# --- staff ----------------------------------------------------------------------------------------


def visible_articles(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Article]:
    return restrict(Article.objects.all(), user, action).select_related("category", "organisation")


def article_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Article:
    return get_scoped_or_404(Article.objects.select_related("category", "organisation", "lead_image",
                                                            "issue_category", "created_by", "reviewed_by"),
                             user, action, pk=pk)


def article_versions(article: Article) -> QuerySet[Any]:
    return article.versions.select_related("created_by").order_by("-number")


def visible_feedback(user: Any) -> QuerySet[Feedback]:
    return restrict(Feedback.objects.all(), user).select_related("article", "article__organisation")


def feedback_detail(*, user: Any, pk: int) -> Feedback:
    return get_scoped_or_404(Feedback.objects.select_related("article", "article__organisation"), user, pk=pk)


def staff_article_images(article: Article) -> QuerySet[ArticleImage]:
    return article.images.order_by("id")


def articles_with_images(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.prefetch_related(Prefetch("images", queryset=ArticleImage.objects.order_by("id")))

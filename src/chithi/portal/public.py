"""Public pages (no account): news, categories, the article with reader feedback, pictures, the one search and
the public figures. Pages for anonymous visitors come from the page cache (portal.cache) until something
visible changes; the feedback form is rate-limited per address and refused submissions keep what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from chithi.core.charts import bar_chart, line_chart, stacked_bar_chart
from chithi.core.forms import apply_service_errors
from chithi.core.pagecache import anonymous_page_cache
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path
from chithi.core.views import public

from . import conf, selectors, services
from .forms import FeedbackForm, SearchForm
from .models import Article, ArticleImage
from .search import public_search

QUERY_MAX = 200  # characters searched; a longer query is cut and the page says so


def _page_meta(request: HttpRequest, *, title: str, description: str = "", kind: str = "website",
               image: str = "", path: str | None = None) -> dict[str, Any]:
    """Canonical address and Open Graph tags (absolute, from SITE_URL)."""
    site = conf.site_url()
    return {"canonical": f"{site}{path if path is not None else request.path}", "og_title": title,
            "og_description": description[:300], "og_type": kind, "og_image": f"{site}{image}" if image else ""}


@public
@require_GET
@anonymous_page_cache
def news(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.live_articles(), per_page=20)
    return render(request, "portal/news.html", {
        "page": page, "query": query_without_page(request), "categories": selectors.public_categories(),
        **_page_meta(request, title=_("News"), description=_("News on studying and following Hồ Chí Minh's "
                                                            "thought, morality and style"))})


@public
@require_GET
@anonymous_page_cache
def category(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = selectors.public_category(slug=slug)
    page = paginate(request, selectors.live_articles().filter(category=chosen), per_page=20)
    return render(request, "portal/news.html", {
        "page": page, "query": query_without_page(request), "category": chosen,
        "categories": selectors.public_categories(),
        **_page_meta(request, title=chosen.name, description=chosen.description or chosen.name)})


def _article_page(request: HttpRequest, article: Article, *, form: FeedbackForm | None = None,
                  status: int = 200) -> HttpResponse:
    image = article.lead_image
    context = {
        "article": article, "images": selectors.article_images(article),
        "feedback": selectors.public_feedback(article), "form": form or FeedbackForm(),
        "other_news": selectors.other_news(article), "latest": selectors.latest_news(exclude=article),
        "practices": selectors.related_practices(article), "issues": selectors.related_issues(article),
        **_page_meta(request, title=article.title, description=article.summary, kind="article",
                     image=image.url(960) if image else "", path=article.get_public_url()),
    }
    return render(request, "portal/article.html", context, status=status)


@public
@require_GET
@anonymous_page_cache
def article(request: HttpRequest, slug: str) -> HttpResponse:
    return _article_page(request, selectors.public_article(slug=slug))


@public
@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """The reader's feedback: 429 in Vietnamese past the limit, 400 with the errors, else back to the article."""
    article = selectors.public_article(slug=slug)
    form = FeedbackForm(request.POST)
    if is_ratelimited(request, group="portal.feedback", key="ip", rate=conf.feedback_rate(), method=["POST"],
                      increment=True):
        form.is_valid()  # keep what was typed and show it back
        form.add_error(None, _("Too much feedback from your address. Please wait a few minutes and try again; "
                               "what you wrote is still in the form."))
        return _article_page(request, article, form=form, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_feedback(article=article, name=data["name"], email=data["email"],
                                     message=data["message"], show_name=data["show_name"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your feedback will appear here once an editor has read it; "
                                        "we will write to you when it is published or answered."))
            return redirect(f"{article.get_public_url()}#phan-hoi")
    return _article_page(request, article, form=form, status=400)


@public
@require_GET
def image(request: HttpRequest, pk: int, width: int) -> HttpResponse:
    """A picture of a live article (of any article the signed-in user may see), in one of its widths."""
    found = ArticleImage.objects.select_related("article", "article__organisation").filter(pk=pk).first()
    if found is None or str(width) not in found.renditions:
        raise Http404
    live = found.article.is_live
    if not live and not allowed_on_path(request.user, Action.VIEW, found.article.organisation.path):
        raise Http404
    with found.open_width(width) as stored:  # at most a few hundred kilobytes: read whole, no stream to keep open
        response = HttpResponse(stored.read(), content_type=found.content_type or "image/jpeg")
    response["Cache-Control"] = "public, max-age=86400" if live else "private, no-store"
    return response


@public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search over news, good practices and answered issues (rate-limited: each query reads the index)."""
    if is_ratelimited(request, group="portal.search", key="ip", rate=conf.search_rate(), method=["GET"],
                      increment=True):
        return render(request, "core/429.html", {"message": _("Too many searches from your address. Please wait "
                                                              "a minute and try again.")}, status=429)
    form = SearchForm(request.GET or None)
    query = str(request.GET.get("q", ""))
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    found = public_search(query[:QUERY_MAX], page=number) if query.strip() else None
    response = render(request, "portal/search.html", {
        "form": form, "found": found, "query_text": query[:QUERY_MAX],
        "too_long": len(query) > QUERY_MAX or (found is not None and found.shortened),
        "q_param": query_without_page(request),
        **_page_meta(request, title=_("Search"))})
    response["X-Robots-Tag"] = "noindex"  # result pages are not content of their own
    return response


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str, str]:
    """The figures' period: the last twelve months, or a calendar year (?nam=2025). A bad year says so."""
    today = timezone.localdate()
    year = request.GET.get("nam", "")
    if year:
        if year.isdigit() and 2016 <= int(year) <= today.year:
            start = dt.date(int(year), 1, 1)
            return start, min(dt.date(int(year), 12, 31), today), year, ""
        return (selectors.period_start(today), today, "",
                _("There are no figures for the year “%(year)s”: showing the last twelve months.")
                % {"year": year[:10]})
    return selectors.period_start(today), today, "", ""


@public
@require_GET
@anonymous_page_cache
def figures(request: HttpRequest) -> HttpResponse:
    """Public figures on citizens' issues, like Hue-S publishes: counts only, no personal data."""
    start, end, year, notice = _period(request)
    data = selectors.public_figures(start, end)
    years = list(range(timezone.localdate().year, 2016, -1))
    if data is None:  # a large installation counts them from cron, never while a visitor waits
        return render(request, "portal/figures.html", {
            "pending": True, "start": start, "end": end, "year": year, "years": years, "notice": notice,
            **_page_meta(request, title=_("Public figures on citizens' issues"))})
    months = data["months"]
    labels = [row.label for row in months]
    charts = {
        "months": line_chart(title=_("Issues received and answered by month"), labels=labels, series=[
            (_("Received"), [row.received for row in months]), (_("Answered"), [row.answered for row in months]),
            (_("Answered on time"), [row.answered_on_time for row in months])]),
        "status": stacked_bar_chart(title=_("What became of each month's issues"), labels=labels, parts=[
            (_("Answered on time"), [row.answered_on_time for row in months]),
            (_("Answered late"), [row.answered_late for row in months]),
            (_("Still being handled"), [row.open for row in months]),
            (_("Rejected or merged"), [row.rejected for row in months])]),
        "categories": bar_chart(title=_("Issues received by category"),
                                items=[(row.label, row.received) for row in data["categories"]]),
        "wards": bar_chart(title=_("Issues received by ward"), items=[(row.label or _("Not given"), row.received)
                                                                       for row in data["wards"]]),
    }
    if data["summary"].rated:
        charts["satisfaction"] = bar_chart(title=_("Satisfied with the answer, by category"), unit="%",
                                           items=[(row.label, row.satisfied_share) for row in data["categories"]])
    return render(request, "portal/figures.html", {
        **data, "charts": charts, "start": start, "end": end, "year": year, "years": years, "notice": notice,
        **_page_meta(request, title=_("Public figures on citizens' issues"))}, status=200)

"""Articles: write, send for review, publish now or at a set time, return, withdraw; every save of the text
keeps a version, and the body is sanitised (what was removed is kept on the version for the editor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chithi.core import pagecache
from chithi.core.notify import notify
from chithi.core.permissions import Action
from chithi.core.search import folded_words
from chithi.core.writes import acting_user, locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation
from chithi.orgs.selectors import users_with_role

from .. import policy
from ..models import Article, ArticleStatus, ArticleVersion, Category
from ..sanitise import plain_text, sanitise

TEXT_FIELDS = ("title", "summary", "body")
EDITABLE = ("title", "summary", "body", "body_text", "category", "byline", "source_name", "source_url", "featured",
            "slug", "issue_category")
# A scheduled time this far in the past is refused; less is "now" typed a little late.
SCHEDULE_SLACK = dt.timedelta(minutes=1)


def make_slug(title: str, *, taken: Iterable[str] = ()) -> str:
    """An address from the title without marks ("Đông Hà" → "dong-ha"), numbered when already used."""
    base = slugify(folded_words(title))[:100].strip("-") or "tin-bai"
    used = set(taken) | set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_slug(slug: str, article: Article | None = None) -> str:
    cleaned = slugify(slug)
    if not cleaned or cleaned != slug:
        raise ValidationError({"slug": _("Use lower-case letters without marks, digits and dashes only.")})
    others = Article.objects.filter(slug=slug)
    clash = (others.exclude(pk=article.pk) if article is not None else others).first()
    if clash is not None:
        raise ValidationError({"slug": _("The address “%(slug)s” is already used by the article “%(title)s”. "
                                         "Choose another one, e.g. “%(suggestion)s”.")
                               % {"slug": slug, "title": clash.title, "suggestion": make_slug(slug)}})
    return slug


def _validate(article: Article) -> None:
    errors = {}
    if not article.title.strip():
        errors["title"] = _("This field is required.")
    if not article.summary.strip():
        errors["summary"] = _("This field is required.")
    if not article.category.active:
        errors["category"] = _("This category is no longer in use.")
    try:
        article.clean_fields(exclude=["organisation", "category", "lead_image", "issue_category", "slug",
                                      "search_text", "body", "summary", "title"])
    except ValidationError as exc:
        errors.update({name: messages[0] for name, messages in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def _keep_version(article: Article, *, actor: Any, removed: list[str]) -> None:
    article.version += 1
    Article.objects.filter(pk=article.pk).update(version=article.version)
    ArticleVersion.objects.create(article=article, number=article.version, title=article.title,
                                  summary=article.summary, body=article.body, removed="; ".join(removed),
                                  created_by=acting_user(actor))


def _visible_change(article: Article) -> None:
    if article.status == ArticleStatus.PUBLISHED:
        pagecache.changed()


def _save_or_slug_clash(save: Any) -> Any:
    """A slug taken by a concurrent save reads like any other slug clash, not as a server error."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        raise ValidationError({"slug": _("This address was just taken by another article. Choose another one.")}) \
            from exc


@transaction.atomic
def create_article(
    *, actor: Any, organisation: Organisation, category: Category, title: str, summary: str, body: str = "",
    byline: str = "", source_name: str = "", source_url: str = "", slug: str = "", featured: bool = False,
    issue_category: Any = None, practices: Iterable[Any] = (),
) -> Article:
    """A draft of the unit. `article.removed` lists what the sanitiser took out of the body."""
    require(actor, Action.ADD, organisation.path)
    require_active(organisation)
    clean_body, removed = sanitise(body)
    article = Article(organisation=organisation, category=category, title=title.strip(), summary=summary.strip(),
                      body=clean_body, body_text=plain_text(clean_body), byline=byline.strip(),
                      source_name=source_name.strip(), source_url=source_url.strip(), featured=featured,
                      issue_category=issue_category, created_by=acting_user(actor))
    _validate(article)
    article.slug = _check_slug(slug, None) if slug else make_slug(article.title)
    _save_or_slug_clash(lambda: save_new(article, actor=actor))
    _set_practices(article, practices)
    _keep_version(article, actor=actor, removed=removed)
    article.removed = removed  # type: ignore[attr-defined]
    return article


def _set_practices(article: Article, practices: Iterable[Any]) -> None:
    from chithi.practices.selectors import public_practices

    chosen = list(practices)
    public = set(public_practices(include_replications=True).filter(pk__in=[p.pk for p in chosen])
                 .values_list("pk", flat=True))
    if any(p.pk not in public for p in chosen):
        raise ValidationError({"practices": _("Only practices published on the showcase can be linked.")})
    article.practices.set(chosen)


@transaction.atomic
def update_article(*, actor: Any, article: Article, practices: Iterable[Any] | None = None,
                   **changes: Any) -> Article:
    """Change what the form shows; a new text keeps a version. `article.removed`: what the sanitiser removed."""
    article = locked(article)
    policy.ARTICLE.check(actor, "edit", article)
    removed: list[str] = []
    if changes.get("body") is not None:
        changes["body"], removed = sanitise(changes["body"])
        changes["body_text"] = plain_text(changes["body"])
    for name in ("title", "summary", "byline", "source_name", "source_url"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if changes.get("slug"):
        _check_slug(changes["slug"], article)
    elif "slug" in changes:
        del changes["slug"]  # an emptied address keeps the current one: links out there must keep working
    before = tuple(getattr(article, name) for name in TEXT_FIELDS)
    article, changed = _save_or_slug_clash(lambda: model_update(
        instance=article, data=changes, fields=EDITABLE, actor=actor, validate=_validate))
    if practices is not None:
        _set_practices(article, practices)
        changed = True
    if before != tuple(getattr(article, name) for name in TEXT_FIELDS) or removed:
        _keep_version(article, actor=actor, removed=removed)
    if changed:
        _visible_change(article)
    article.removed = removed  # type: ignore[attr-defined]
    return article


def _editors(article: Article) -> list[Any]:
    return users_with_role(article.organisation, roles=policy.EDITOR_ROLES, upward=True)


@transaction.atomic
def submit_article(*, actor: Any, article: Article) -> Article:
    article = locked(article)
    policy.ARTICLE.check(actor, "submit", article)
    article, _changed = model_update(instance=article, data={"status": ArticleStatus.REVIEW}, fields=["status"],
                                     actor=actor, note=_("sent for review"))
    notify(users=[u for u in _editors(article) if u.pk != getattr(actor, "pk", None)],
           title=_("An article waits for your review: %(title)s") % {"title": article.title},
           url=article.get_absolute_url(), dedupe_key=f"portal.review.{article.pk}.{article.version}")
    return article


@transaction.atomic
def publish_article(*, actor: Any, article: Article, publish_at: dt.datetime | None = None) -> Article:
    """Publish now, or at `publish_at` (a scheduled publication; a time already past is refused)."""
    article = locked(article)
    policy.ARTICLE.check(actor, "publish", article)
    now = timezone.now()
    if publish_at is not None and publish_at < now - SCHEDULE_SLACK:
        raise ValidationError({"publish_at": _("The scheduled time %(time)s has already passed. Choose a later "
                                               "time, or leave it empty to publish now.")
                               % {"time": timezone.localtime(publish_at).strftime("%d/%m/%Y %H:%M")}})
    when = publish_at if publish_at is not None and publish_at > now else now
    article, _changed = model_update(
        instance=article, fields=["status", "published_at", "reviewed_by", "review_note"], actor=actor,
        data={"status": ArticleStatus.PUBLISHED, "published_at": when, "reviewed_by": acting_user(actor),
              "review_note": ""},
        note=_("scheduled") if when > now else _("published"))
    pagecache.changed(at=when if when > now else None)
    if article.created_by_id and article.created_by_id != getattr(actor, "pk", None):
        notify(users=[article.created_by], email=False, url=article.get_absolute_url(),
               title=_("Your article was published: %(title)s") % {"title": article.title})
    return article


@transaction.atomic
def return_article(*, actor: Any, article: Article, note: str) -> Article:
    """Back to its writer as a draft, with the editor's note (a published one leaves the site)."""
    article = locked(article)
    policy.ARTICLE.check(actor, "return", article)
    if not note.strip():
        raise ValidationError({"note": _("Say what the writer should change.")})
    was_public = article.status == ArticleStatus.PUBLISHED
    article, _changed = model_update(instance=article, data={"status": ArticleStatus.DRAFT,
                                                             "review_note": note.strip()},
                                     fields=["status", "review_note"], actor=actor, note=note.strip())
    if was_public:
        pagecache.changed()
    if article.created_by_id:
        notify(users=[article.created_by], email=False, url=article.get_absolute_url(),
               title=_("Your article was returned for changes: %(title)s") % {"title": article.title},
               body=note.strip())
    return article


@transaction.atomic
def withdraw_article(*, actor: Any, article: Article, reason: str = "") -> Article:
    article = locked(article)
    policy.ARTICLE.check(actor, "withdraw", article)
    article, _changed = model_update(instance=article, data={"status": ArticleStatus.WITHDRAWN},
                                     fields=["status"], actor=actor, note=reason.strip() or _("withdrawn"))
    pagecache.changed()
    return article

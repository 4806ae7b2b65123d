"""How the URL walk reaches the public site's pages (core.testing.Sample), and what no public page may show."""

from __future__ import annotations

from typing import Any

from chithi.core.testing import Sample

SENDER_NAME = "Nguyễn Văn Riêng"
SENDER_EMAIL = "rieng.tu@example.vn"


def data(world: Any) -> dict[str, Any]:
    """One live article of ward A with a picture and published feedback, one under review, made once per world."""
    if not hasattr(world, "portal_data"):
        from chithi.orgs.tests.factories import superuser
        from chithi.portal import services

        from .factories import article, feedback, jpeg

        live = article(unit=world.ward_a, title="Đối thoại ở khu phố 3")
        image = services.add_image(actor=superuser(), article=live, upload=jpeg(), alt="Người dân dự đối thoại")
        item = feedback(live, name=SENDER_NAME, email=SENDER_EMAIL, state="published")
        waiting = article(unit=world.ward_a, title="Tin chờ duyệt", state="review")
        world.portal_data = {"article": live, "image": image, "feedback": item, "waiting": waiting}
    return world.portal_data  # type: ignore[no-any-return]


def _article(world: Any) -> dict[str, Any]:
    return {"pk": data(world)["article"].pk}


def _feedback(world: Any) -> dict[str, Any]:
    return {"pk": data(world)["feedback"].pk}


SAMPLES = {
    "portal:category": Sample(kwargs=lambda w: {"slug": data(w)["article"].category.slug}),
    "portal:category_rss": Sample(kwargs=lambda w: {"slug": data(w)["article"].category.slug}),
    "portal:category_atom": Sample(kwargs=lambda w: {"slug": data(w)["article"].category.slug}),
    "portal:article": Sample(kwargs=lambda w: {"slug": data(w)["article"].slug}),
    "portal:feedback": Sample(kwargs=lambda w: {"slug": data(w)["article"].slug}, post_only=True),
    "portal:image": Sample(kwargs=lambda w: {"pk": data(w)["image"].pk, "width": 480},
                           skip_counts="a picture file, not a page"),
    "portal:search": Sample(query="q=doi+thoai"),
    "portal:sitemap_section": Sample(kwargs=lambda w: {"section": "tin-tuc"}),
    "portal:article_detail": Sample(kwargs=_article),
    "portal:article_edit": Sample(kwargs=_article),
    "portal:article_image": Sample(kwargs=_article),
    "portal:article_versions": Sample(kwargs=_article),
    "portal:article_history": Sample(kwargs=_article),
    "portal:article_action": Sample(kwargs=lambda w: {"pk": data(w)["waiting"].pk, "step": "submit"}, post_only=True),
    "portal:feedback_action": Sample(kwargs=lambda w: {"pk": data(w)["feedback"].pk, "step": "approve"},
                                     post_only=True),
    "article-detail": Sample(kwargs=_article),
    "article-submit": Sample(kwargs=_article, post_only=True),
    "article-publish": Sample(kwargs=_article, post_only=True),
    "article-return-to-writer": Sample(kwargs=_article, post_only=True),
    "article-withdraw": Sample(kwargs=_article, post_only=True),
    "article-feedback-detail": Sample(kwargs=_feedback),
    "article-feedback-approve": Sample(kwargs=_feedback, post_only=True),
    "article-feedback-reject": Sample(kwargs=_feedback, post_only=True),
    "article-feedback-answer": Sample(kwargs=_feedback, post_only=True),
}


def personal_data(world: Any) -> list[str]:
    """A reader's full name and e-mail: public pages show the given name only."""
    data(world)
    return [SENDER_NAME, SENDER_EMAIL]

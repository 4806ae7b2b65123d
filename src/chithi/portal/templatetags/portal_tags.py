"""Template helpers of the public site: an article's body with its pictures, figures with Vietnamese separators."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chithi.core.charts import number as format_number

from ..models import ArticleImage
from ..sanitise import IMAGE_MARKER

register = template.Library()

# The column is at most ~720 px wide on a desktop and the full width of a phone.
SIZES = "(min-width: 992px) 720px, 100vw"


def figure_html(image: ArticleImage, *, lead: bool = False) -> str:
    caption = " ".join(part for part in (escape(image.caption),
                                         escape(_("Photo: %(credit)s") % {"credit": image.credit})
                                         if image.credit else "") if part)
    height = round(image.height * min(image.width, 960) / image.width) if image.width else 0
    src = image.url(960 if "960" in image.renditions else None)
    return (f'<figure class="figure portal-figure"><img class="img-fluid" src="{src}" '
            f'srcset="{image.srcset()}" sizes="{SIZES}" alt="{escape(image.alt)}" '
            f'width="{min(image.width, 960)}" height="{height}"'
            f'{"" if lead else " loading=\"lazy\""} decoding="async">'
            + (f'<figcaption class="figure-caption">{caption}</figcaption>' if caption else "") + "</figure>")


@register.simple_tag
def article_body(body: str, images: dict[int, ArticleImage]) -> SafeString:
    """The sanitised body with each `[ảnh:ID]` marker replaced by that picture of the article (unknown: dropped)."""

    def replace(match: Any) -> str:
        image = images.get(int(match.group(1)))
        return figure_html(image) if image is not None else ""

    return mark_safe(IMAGE_MARKER.sub(replace, body))  # noqa: S308 (the body was sanitised on save; figures escaped)


@register.simple_tag
def lead_figure(image: ArticleImage) -> SafeString:
    return mark_safe(figure_html(image, lead=True))  # noqa: S308 (escaped in figure_html)


@register.filter
def number(value: Any) -> str:
    return format_number(value)

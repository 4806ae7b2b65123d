"""Article bodies: HTML cleaned by Ammonia (the `nh3` binding) and a list of what it removed, for the editor.

The allow-list is what a news article needs: headings, paragraphs, lists, quotes, links, emphasis, tables,
and pictures placed with a marker (`[ảnh:12]`, replaced at display by the article's own picture with its
widths and caption), never an <img> pointing elsewhere. Everything else — scripts, styles, event handlers,
javascript: links, frames, forms — is removed; `removed()` says what went, by comparing the elements and
attributes before and after (Ammonia does not report it).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext as _

TAGS = {"h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "blockquote", "strong", "b", "em", "i", "u", "s",
        "sub", "sup", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "figure", "figcaption"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with their content, not only their tags: a script's text must not turn into visible words.
CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "form",
                 "textarea", "select", "button", "title"}


class _Inventory(HTMLParser):
    """Counts elements, attributes and link schemes of a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[tuple[str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[("tag", tag)] += 1
        for name, value in attrs:
            if name == "rel":
                continue  # Ammonia sets rel itself on links
            self.found[("attr", f"{tag} {name}")] += 1
            if name in ("href", "src") and value and ":" in value.split("/")[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                if scheme not in URL_SCHEMES:
                    self.found[("scheme", scheme)] += 1


def _inventory(fragment: str) -> Counter[tuple[str, str]]:
    parser = _Inventory()
    parser.feed(fragment)
    parser.close()
    return parser.found


def clean(fragment: str) -> str:
    return nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     clean_content_tags=CLEAN_CONTENT, link_rel="noopener noreferrer", strip_comments=True)


def removed(before: str, after: str) -> list[str]:
    """What cleaning took out, in words an editor reads ("the <script> element (2)")."""
    lost = _inventory(before) - _inventory(after)
    notes = []
    for (kind, what), count in sorted(lost.items()):
        if kind == "tag":
            notes.append(_("the <%(tag)s> element (%(count)d)") % {"tag": what, "count": count})
        elif kind == "attr":
            tag, name = what.split(" ", 1)
            notes.append(_("the %(attr)s attribute of <%(tag)s> (%(count)d)")
                         % {"attr": name, "tag": tag, "count": count})
        else:
            notes.append(_("links starting with %(scheme)s: (%(count)d)") % {"scheme": what, "count": count})
    return notes


def sanitise(fragment: str) -> tuple[str, list[str]]:
    """(clean HTML, what was removed)."""
    cleaned = clean(fragment or "")
    return cleaned, removed(fragment or "", cleaned)


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|figcaption|caption)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
IMAGE_MARKER = re.compile(r"\[(?:ảnh|anh|image):\s*(\d+)\]", re.IGNORECASE)


def plain_text(clean_html: str) -> str:
    """The text of a cleaned body, paragraphs on their own lines, picture markers left out."""
    text = _BLOCK_END.sub("\n", clean_html)
    text = html.unescape(_TAG.sub("", text))
    text = IMAGE_MARKER.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)

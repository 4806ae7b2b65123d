"""No page offers a link that its reader cannot open.

The URL walk (test_url_walk.py) opens each pattern once as one role; this walk reads the product as each role
does: from the home page it follows every link a page shows (breadth first, two pages of each URL shape), with
every room's sample records in the world, and fails on any link that answers 404, 403 or a server error to the
reader it was shown to. A button to a form the reader may not fill, an "up one level" above their scope, a link
to a record of a unit outside their scope: each is a page that offers something and then refuses it."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from chithi.core.testing import Sample, samples

# Read as each kind of user: the city's leadership and viewer, a ward's secretary and staff, a cell's
# secretary, a neighbouring ward's secretary, and an account that holds no role (a former one).
ROLES = ["leader", "viewer", "secretary", "staff", "cell_secretary", "other_secretary", "nobody"]
PAGES_PER_ROLE = 400
PER_SHAPE = 2
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)')
# Not pages: sign-out, the API, Django's admin, static files, the language switch and exports by their ending.
# The rooms' own file downloads, probes and redirects are told apart by their Sample (not_a_page below).
NOT_A_PAGE = re.compile(r"^/(dang-xuat|api|quan-tri|static|media|i18n)/|\.(xlsx|docx|pdf|ics|csv|rss|xml)(\?|$)")


def _shape(path: str) -> str:
    parts = urlsplit(path)
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(sorted(k.split("=")[0] for k in parts.query.split("&")))
                                              if parts.query else "")


def _not_a_page(path: str, known: dict[str, Sample]) -> bool:
    """A file download, a probe, a redirect or a POST-only step, as its room's Sample says (the URL walk opens
    those, and the file views' scope has tests of its own); a path that resolves nowhere is kept, to fail."""
    try:
        name = resolve(urlsplit(path).path).view_name
    except Resolver404:
        return False
    sample = known.get(name)
    return sample is not None and bool(sample.skip_counts or sample.post_only)


def _links(html: str, known: dict[str, Sample]) -> list[str]:
    found = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if href.startswith("/") and not href.startswith("//") and not NOT_A_PAGE.search(href) \
                and not _not_a_page(href, known):
            found.append(href)
    return found


def _populate(world: Any, known: dict[str, Sample]) -> None:
    """Every room's sample records (the ones the URL walk opens), so the pages have something to link to."""
    for sample in known.values():
        sample.kwargs(world)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_offers_a_link_its_reader_cannot_open(role: str, world: Any, client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    known = samples()
    _populate(world, known)
    client.force_login(world.user(role))
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    broken: list[str] = []
    opened = 0
    while queue and opened < PAGES_PER_ROLE:
        path, source = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        shape = _shape(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > PER_SHAPE:
            continue
        response = client.get(path)
        opened += 1
        if response.status_code in (403, 404) or response.status_code >= 500:
            broken.append(f"{path} answered {response.status_code}, linked from {source}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode(errors="replace"), known):
            if link not in seen:
                queue.append((link, path))
    assert opened > 20, f"the walk as {role} opened only {opened} pages"
    assert not broken, f"links offered to {role} that refuse them:\n" + "\n".join(broken)

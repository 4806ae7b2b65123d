"""Lists cost the same number of queries whatever the number of rows (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chithi.orgs.tests.factories import superuser
from chithi.portal import services

from .factories import article, feedback, jpeg

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(world, n: int) -> None:
    for number in range(n):
        live = article(unit=world.ward_a, title=f"Tin số {number}")
        services.add_image(actor=superuser(), article=live, upload=jpeg(320, 200), alt=f"Ảnh {number}")
        feedback(live, state="published")
        feedback(live)


@pytest.mark.parametrize("url", ["/", "/tin-tuc/", "/tin-tuc/chuyen-muc/chi-thi-05/", "/tin-bai/", "/tin-bai/phan-hoi/",
                                 "/tim/?q=tin", "/api/articles/", "/api/article-feedback/"])
def test_list_queries_do_not_grow_with_rows(world, settings, url):
    settings.PAGE_CACHE_SECONDS = 0  # count the page's own work, not the cache
    settings.RATELIMIT_ENABLE = False
    client = Client()
    client.force_login(world.user("admin"))
    _add(world, 1)
    small = _count(client, url)
    _add(world, 6)
    assert _count(client, url) == small


def test_article_page_queries_do_not_grow_with_feedback_and_pictures(world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    live = article(unit=world.ward_a)
    feedback(live, state="answered")
    services.add_image(actor=superuser(), article=live, upload=jpeg(320, 200), alt="Ảnh đầu")
    client = Client()
    small = _count(client, live.get_public_url())
    for number in range(5):
        feedback(live, state="answered", message=f"Ý kiến {number}")
        services.add_image(actor=superuser(), article=live, upload=jpeg(320, 200), alt=f"Ảnh {number}")
    assert _count(client, live.get_public_url()) == small

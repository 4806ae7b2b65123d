"""Lists count at most COUNT_CAP rows: over millions (the public list of 5 million answered issues) an exact count
took longer than the page itself."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from chithi.core import pagination
from chithi.orgs.models import Organisation


@pytest.mark.django_db
def test_a_list_longer_than_the_cap_says_more_than_and_pages_stop_there(world, monkeypatch) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    units = Organisation.objects.order_by("path")
    assert units.count() > 3
    page = pagination.paginate(RequestFactory().get("/", {"page": 2}), units, per_page=2)
    assert page.paginator.count == 3 and page.paginator.capped
    assert page.number == 2 and not page.has_next()
    short = pagination.paginate(RequestFactory().get("/"), units[:2], per_page=2)
    assert short.paginator.count == 2 and not short.paginator.capped


@pytest.mark.django_db
def test_the_list_page_says_more_than(world, client, monkeypatch) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    client.force_login(world.user("leader"))
    page = client.get("/to-chuc/danh-sach/").content.decode()
    assert "Hơn 3 mục" in page

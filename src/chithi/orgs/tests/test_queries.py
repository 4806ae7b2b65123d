"""The tree and lists answer in a number of queries that does not grow with the number of units."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chithi.orgs.models import OrgKind
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_tree_and_lists_do_not_grow_with_size(client, world):
    client.force_login(world.user("admin"))
    urls = ["/to-chuc/", "/to-chuc/?ngay=2020-01-01", "/nhan-su/", "/to-chuc/danh-sach/",
            f"/to-chuc/{world.ward_a.pk}/", "/api/orgs/", "/api/people/"]
    small = {url: count_queries(client, url) for url in urls}
    for i in range(15):
        cell = OrganisationFactory(name=f"Chi bộ thêm {i}", kind=OrgKind.PARTY_CELL, parent=world.ward_a)
        PersonFactory(full_name=f"Trần Văn Thêm{i}", organisation=cell)
    large = {url: count_queries(client, url) for url in urls}
    assert large == small

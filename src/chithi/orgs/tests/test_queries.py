"""The tree, the lists and the detail pages answer in a number of queries that does not grow with what they show."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chithi.orgs import services
from chithi.orgs.models import OrgKind
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory, UserFactory, superuser


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


def test_detail_pages_do_not_grow_with_what_they_show(client, world):
    """A unit's members, past members, sub-units, roles and restructurings, a person's memberships: each page
    reads them in a fixed number of queries."""
    client.force_login(world.user("admin"))
    urls = [f"/to-chuc/{world.ward_a.pk}/", f"/to-chuc/{world.cell_a2.pk}/", f"/nhan-su/{world.person_a1.pk}/",
            f"/to-chuc/{world.ward_a.pk}/phan-quyen/", f"/to-chuc/{world.ward_a.pk}/chia-tach/",
            f"/to-chuc/{world.ward_a.pk}/lich-su/", f"/nhan-su/{world.person_a1.pk}/lich-su/",
            f"/api/orgs/{world.ward_a.pk}/", f"/api/people/{world.person_a1.pk}/"]

    def grow(n: int) -> None:
        root = superuser()
        for i in range(n):
            cell = OrganisationFactory(name=f"Chi bộ mới {n}-{i}", kind=OrgKind.PARTY_CELL, parent=world.ward_a)
            services.add_membership(actor=root, person=world.person_a1, organisation=cell, position="Ủy viên")
            gone = PersonFactory(full_name=f"Hồ Văn Cũ{n}{i}", organisation=world.ward_a)
            services.end_membership(actor=root, membership=gone.memberships.get(), until=dt.date(2024, 1, 1))
            PersonFactory(full_name=f"Lê Văn Mới{n}{i}", organisation=world.ward_a)
            services.assign_role(actor=root, user=UserFactory(), organisation=world.ward_a, role="viewer")
            services.merge_organisations(actor=root, sources=[cell], target=world.cell_a2,
                                         effective_on=dt.date(2025, 7, 1))

    grow(1)
    small = {url: count_queries(client, url) for url in urls}
    grow(6)
    large = {url: count_queries(client, url) for url in urls}
    assert large == small

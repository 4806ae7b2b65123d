"""Search with or without diacritics, and Vietnamese name order, on every database."""

from __future__ import annotations

import pytest

from chithi.core.search import search
from chithi.orgs.models import Organisation, Person
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory


@pytest.mark.parametrize("query", ["dong ha", "ĐÔNG HÀ", "Đông Hà", "đông  hà", "DONG HA"])
def test_org_search_ignores_case_and_diacritics(world, query):
    OrganisationFactory(name="Đảng ủy phường Nam Đông Hà", parent=world.city, kind="ward_committee")
    found = set(search(Organisation.objects.all(), query).values_list("name", flat=True))
    assert found == {"Thành ủy Đông Hà", "Đảng ủy phường Nam Đông Hà"}


def test_duong_finds_duong_with_stroke(world):
    found = list(search(Person.objects.all(), "duong").values_list("full_name", flat=True))
    assert found == ["Đường Văn Ánh"]


def test_search_page_and_api_fold_alike(client, world):
    client.force_login(world.user("admin"))
    page = client.get("/tim-kiem/", {"q": "duong van anh"}).content.decode()
    assert "Đường Văn Ánh" in page
    api = client.get("/api/people/", {"q": "ĐƯỜNG"}).json()
    assert [p["full_name"] for p in api["results"]] == ["Đường Văn Ánh"]
    orgs = client.get("/api/orgs/", {"q": "khu pho"}).json()
    assert {o["name"] for o in orgs["results"]} == {"Chi bộ Khu phố 1", "Chi bộ Khu phố 2", "Chi bộ Khu phố 3"}


def test_people_sort_in_vietnamese_order_by_given_name(world):
    for name in ["Nguyễn Văn Ánh", "Trần Thị An", "Lê Văn Ân", "Phạm Thị Anh", "Hoàng Văn Bình", "Vũ Thị Ăn",
                 "Đỗ Văn Đức", "Bùi Văn Dũng"]:
        PersonFactory(full_name=name, organisation=world.cell_b1)
    ordered = list(Person.objects.filter(memberships__organisation=world.cell_b1)
                   .exclude(full_name="Lê Thị Bình").values_list("full_name", flat=True))
    # a < ă < â; An < Anh; tones break ties (An before Án); d < đ
    assert ordered == ["Trần Thị An", "Phạm Thị Anh", "Nguyễn Văn Ánh", "Vũ Thị Ăn", "Lê Văn Ân",
                       "Hoàng Văn Bình", "Bùi Văn Dũng", "Đỗ Văn Đức"]

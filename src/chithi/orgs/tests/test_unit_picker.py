"""The unit filter of every list stays small for a reader who sees a province or the country: the whole tree up
to CHITHI_UNIT_PICKER_LIMIT units, else the top two levels, the chosen unit and a search that asks the server."""

from __future__ import annotations

import re

from django.test import override_settings


def _options(page: str) -> list[str]:
    select = re.search(r'<select name="unit".*?</select>', page, re.S)
    assert select, "the list page has a unit filter"
    return re.findall(r'<option value="(\d+)"', select.group(0))


def test_a_small_scope_lists_every_unit(client, world):
    client.force_login(world.user("leader"))
    page = client.get("/to-chuc/danh-sach/").content.decode()
    assert str(world.cell_a1.pk) in _options(page)
    assert "data-unit-search" not in page


@override_settings(CHITHI_UNIT_PICKER_LIMIT=3)
def test_a_large_scope_lists_the_top_levels_the_chosen_unit_and_offers_a_search(client, world):
    client.force_login(world.user("leader"))
    page = client.get(f"/nhan-su/?unit={world.cell_a1.pk}").content.decode()
    options = _options(page)
    assert str(world.city.pk) in options and str(world.ward_a.pk) in options  # the top two levels
    assert str(world.cell_a1.pk) in options  # the chosen unit, though deeper
    assert str(world.cell_a2.pk) not in options
    assert f'<option value="{world.cell_a1.pk}" selected>' in page
    assert 'data-unit-search="/to-chuc/chon/"' in page
    # the filter still keeps only the chosen subtree
    assert world.person_a1.full_name in page


def test_the_search_answers_only_units_in_scope(client, world):
    client.force_login(world.user("secretary"))  # ward A only
    inside = client.get("/to-chuc/chon/", {"q": world.cell_a1.name}).json()["results"]
    assert [unit["id"] for unit in inside] == [world.cell_a1.pk]
    everything = {unit["id"] for unit in client.get("/to-chuc/chon/", {"q": "chi bo"}).json()["results"]}
    assert world.cell_a1.pk in everything
    assert world.cell_b1.pk not in everything  # another ward's cell is never named


def test_the_search_needs_a_sign_in(client, world):
    response = client.get("/to-chuc/chon/", {"q": "chi bo"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@override_settings(CHITHI_UNIT_PICKER_LIMIT=2)
def test_the_chosen_unit_shows_even_where_the_top_levels_fill_the_list(client, world):
    """The top two levels alone reach the limit here (the city and its two wards): the chosen cell used to be cut
    off the list by the slice, and the filter then showed "all units" while filtering by the cell."""
    import re

    client.force_login(world.user("admin"))
    page = client.get("/nhan-su/", {"unit": world.cell_b1.pk}).content.decode()
    select = re.search(r'<select name="unit".*?</select>', page, re.S)
    assert select and re.search(rf'<option value="{world.cell_b1.pk}"[^>]* selected', select.group(0))

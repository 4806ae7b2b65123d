"""Issue 10: a role on a successor covers its predecessors' records for reading (the lineage)."""

from __future__ import annotations

import datetime as dt

from chithi.core.permissions import Action, Role, restrict
from chithi.orgs import selectors, services
from chithi.orgs.models import Organisation
from chithi.orgs.tests.factories import UserFactory

DAY = dt.date(2025, 7, 1)


def _merged(world):
    target, _event = services.merge_organisations(
        actor=world.user("superuser"), sources=[world.ward_a, world.ward_b], effective_on=DAY,
        new_name="Đảng ủy phường Đông Hà", new_code="19333")
    newcomer = UserFactory(username="new_secretary")
    services.assign_role(actor=world.user("superuser"), user=newcomer, organisation=target, role=Role.SECRETARY)
    return target, newcomer


def test_successor_role_reads_predecessors(world):
    target, newcomer = _merged(world)
    visible = set(restrict(Organisation.objects.all(), newcomer, Action.VIEW))
    assert {world.ward_a, world.ward_b, target} <= visible
    assert world.agency not in visible
    # reading only: the old wards are not writable through the lineage
    assert world.ward_a not in set(restrict(Organisation.objects.all(), newcomer, Action.CHANGE))


def test_successor_role_reads_predecessor_of_predecessor(world):
    target, _newcomer = _merged(world)
    final, _event = services.merge_organisations(
        actor=world.user("superuser"), sources=[target], target=world.agency, effective_on=dt.date(2026, 1, 1))
    reader = UserFactory(username="agency_reader")
    services.assign_role(actor=world.user("superuser"), user=reader, organisation=final, role=Role.VIEWER)
    visible = set(restrict(Organisation.objects.all(), reader, Action.VIEW))
    assert {world.ward_a, world.ward_b, target} <= visible


def test_past_tree_shows_old_cells_under_their_old_ward_for_the_successor(world):
    _target, newcomer = _merged(world)
    before = [n.org.name for n in selectors.flatten(selectors.org_tree(user=newcomer, on_date=dt.date(2020, 1, 1)))]
    assert before.index("Chi bộ Khu phố 1") == before.index("Đảng ủy phường Đông Thanh") + 1
    assert "Chi bộ Khu phố 3" in before


def test_old_ward_page_is_readable_by_the_successor(client, world):
    _target, newcomer = _merged(world)
    client.force_login(newcomer)
    assert client.get(f"/to-chuc/{world.ward_a.pk}/").status_code == 200
    assert client.get(f"/to-chuc/{world.agency.pk}/").status_code == 404

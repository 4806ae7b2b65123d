"""A room declares itself once: its menu, panels, successor handler and seeders reach the product, and bad
declarations fail the system checks at start-up."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

from chithi.core import navigation
from chithi.core.checks import check_rooms, scope_errors, search_errors
from chithi.core.permissions import RestrictedQuerySet
from chithi.core.rooms import rooms, seed_order
from chithi.core.search import SearchIndexed


def test_every_domain_app_is_a_room():
    assert [room.label for room in rooms()] == ["core", "orgs", "campaigns", "dialogues", "practices", "grassroots",
                                                "portal", "reports"]


def test_seeders_run_after_what_they_name():
    order = [seed.name for seed in seed_order()]
    # campaigns slots its pre-reform years before the merger without orgs knowing about campaigns
    assert order.index("orgs.dong_ha") < order.index("campaigns.before_2025") < order.index("orgs.merger_2025")
    assert order.index("orgs.accounts") < order.index("dialogues.categories") < order.index("dialogues.recent_issues")


def test_a_new_room_reaches_menu_panels_and_seeders(toy_room, client, world):
    labels = [str(entry.label) for entry in navigation.entries(authenticated=True)]
    assert "Toy" in labels
    order = [seed.name for seed in seed_order()]
    assert order.index("toyroom.first") > order.index("orgs.accounts")
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.cell_a1.pk}/").content.decode()
    assert f"Toy panel {world.cell_a1.pk}" in page


def test_room_declarations_are_checked(toy_room, settings):
    assert check_rooms() == []
    from chithi.core.tests.toyroom.apps import ToyRoomConfig

    ToyRoomConfig.successor_handler = "hooks.does_not_exist"
    try:
        errors = check_rooms()
    finally:
        ToyRoomConfig.successor_handler = "hooks.on_successor"
    assert [e.id for e in errors] == ["chithi.E005"]


@isolate_apps("chithi.core")
def test_a_scoped_model_must_say_where_its_path_is():
    class Unscoped(models.Model):
        objects = RestrictedQuerySet.as_manager()

    class Scoped(models.Model):
        path = models.CharField(max_length=10)
        objects = RestrictedQuerySet.as_manager()
        scope_path_field = "path"

    class Misnamed(models.Model):
        objects = RestrictedQuerySet.as_manager()
        scope_path_field = "organisation__path"

    assert [e.id for e in scope_errors([Unscoped, Scoped, Misnamed])] == ["chithi.E001", "chithi.E002"]


@isolate_apps("chithi.core")
def test_a_searchable_model_must_say_what_feeds_its_column():
    class Undeclared(models.Model):
        search_text = models.TextField()

    class Declared(SearchIndexed):
        name = models.CharField(max_length=10)
        search_text = models.TextField()
        search_fields = ("name",)

    class Wrong(SearchIndexed):
        search_text = models.TextField()
        search_fields = ("title",)

    assert [e.id for e in search_errors([Undeclared, Declared, Wrong])] == ["chithi.E003", "chithi.E004"]


@pytest.mark.django_db
def test_the_live_models_pass_every_check():
    from django.apps import apps

    assert scope_errors(apps.get_models()) == []
    assert search_errors(apps.get_models()) == []

"""Data migration oversight 0003: the practices room's commendations are copied into the oversight room's awards
before practices 0003 drops their table. Run with the rest of the suite on SQLite and, in the PostgreSQL pass of
scripts/test.sh, on PostgreSQL; only the two rooms' last migrations are rolled back and replayed, so it stays fast."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.migrations.executor import MigrationExecutor

from chithi.oversight.models import Award

# the schema is changed under the test, which SQLite refuses inside the test case's transaction
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("oversight", "0002_selfreportfile"), ("practices", "0002_search_indexes")]


def _practice(apps: Any, organisation_id: int, name: str) -> Any:
    return apps.get_model("practices", "Practice").objects.create(
        organisation_id=organisation_id, name=name, name_key=name.lower(), started_on=dt.date(2024, 3, 1),
        lineage_path=f"{name}/")


def test_commendations_are_copied_into_awards(world: Any, executor: MigrationExecutor) -> None:
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    practice = _practice(apps, world.cell_a1.pk, "Chợ không rác thải nhựa")
    Commendation = apps.get_model("practices", "Commendation")
    by_ministry = Commendation.objects.create(
        practice=practice, person_id=world.person_a1.pk, title="Bằng khen của Bộ", level="ministry",
        awarded_on=dt.date(2025, 5, 19), decision_number="123/QĐ-BNV", issuer="Bộ Nội vụ")
    Commendation.objects.create(practice=practice, title="Giấy khen của UBND thành phố", level="city",
                                awarded_on=dt.date(2024, 12, 2), decision_number="45/QĐ-UBND")
    recorded = dt.datetime(2025, 5, 20, 8, 30, tzinfo=dt.UTC)
    Commendation.objects.filter(pk=by_ministry.pk).update(created_at=recorded)
    # an award the oversight room already had is left as it was
    apps.get_model("oversight", "Award").objects.create(
        organisation_id=world.ward_a.pk, form="Hoàn thành xuất sắc nhiệm vụ", level="ward",
        awarded_on=dt.date(2025, 1, 10), decision_number="01/QĐ-ĐU")

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    copied = {a.decision_number: a for a in Award.objects.filter(practice__isnull=False)}
    assert set(copied) == {"123/QĐ-BNV", "45/QĐ-UBND"}
    ministry = copied["123/QĐ-BNV"]
    assert (ministry.organisation_id, ministry.practice_id, ministry.person_id) == (
        world.cell_a1.pk, practice.pk, world.person_a1.pk)
    assert (ministry.form, ministry.level, ministry.issuer) == ("Bằng khen của Bộ", "central", "Bộ Nội vụ")
    assert ministry.awarded_on == dt.date(2025, 5, 19)
    assert ministry.created_at == recorded  # the copy keeps when the commendation was recorded
    city = copied["45/QĐ-UBND"]
    assert (city.level, city.person_id, city.form) == ("city", None, "Giấy khen của UBND thành phố")
    assert list(Award.objects.filter(practice__isnull=True).values_list("decision_number", "level")) == [
        ("01/QĐ-ĐU", "ward")]

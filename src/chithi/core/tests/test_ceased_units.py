"""A unit that has ceased (merged or dissolved) takes no new record: its successor does. The forms list live units
only, but the API and a crafted post reach the services with any unit in the user's scope: the ward secretary could
file a news article and open an inspection programme or a reporting round in a cell merged away the year before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from chithi.orgs.models import Organisation

MERGED = dt.date(2025, 7, 1)


def _cease(world: Any) -> Organisation:
    """Chi bộ Khu phố 2 merged into Chi bộ Khu phố 1 on 01/07/2025; both stay under the ward secretary's ward."""
    Organisation.objects.filter(pk=world.cell_a2.pk).update(dissolved_on=MERGED, successor=world.cell_a1)
    return Organisation.objects.get(pk=world.cell_a2.pk)


def _article(actor: Any, unit: Organisation) -> Any:
    from chithi.portal import services
    from chithi.portal.tests.factories import category

    return services.create_article(actor=actor, organisation=unit, category=category(), title="Tin chi bộ",
                                   summary="Tóm tắt")


def _report_round(actor: Any, unit: Organisation) -> Any:
    from chithi.reports import services

    return services.open_round(actor=actor, unit=unit, kind="six_month", title="Sơ kết 6 tháng",
                               period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                               deadline=dt.date(2026, 7, 5))


def _programme(actor: Any, unit: Organisation) -> Any:
    from chithi.oversight import services

    return services.create_programme(actor=actor, organisation=unit, year=2026, title="Chương trình kiểm tra")


def _evaluation_round(actor: Any, unit: Organisation) -> Any:
    from chithi.oversight import services

    return services.open_round(actor=actor, organisation=unit, year=2026, deadline=dt.date(2026, 12, 20))


def _dialogue(actor: Any, unit: Organisation) -> Any:
    from chithi.dialogues import services

    return services.create_dialogue(actor=actor, organisation=unit, title="Đối thoại", held_on=dt.date(2026, 3, 1))


@pytest.mark.parametrize("create", [_article, _report_round, _programme, _evaluation_round, _dialogue],
                         ids=["article", "report round", "inspection programme", "evaluation round", "dialogue"])
def test_a_ceased_unit_takes_no_new_record(world: Any, create: Callable[[Any, Organisation], Any]) -> None:
    gone = _cease(world)
    with pytest.raises(ValidationError) as refused:
        create(world.user("secretary"), gone)
    assert "Chi bộ Khu phố 2" in str(refused.value) and "kế thừa" in str(refused.value)
    # Its successor does (a reporting round is opened for sub-units: the ward's, a cell has none).
    create(world.user("secretary"), world.ward_a if create is _report_round else world.cell_a1)


def test_the_api_refuses_an_article_for_a_ceased_unit(world: Any) -> None:
    from chithi.portal.models import Article
    from chithi.portal.tests.factories import category

    gone = _cease(world)
    client = APIClient()
    client.force_authenticate(world.user("secretary"))
    response = client.post("/api/articles/", {"organisation": gone.pk, "category": category().pk,
                                              "title": "Tin chi bộ", "summary": "Tóm tắt"}, format="json")
    assert response.status_code == 400, response.content
    assert "organisation" in response.json()
    assert not Article.objects.filter(organisation=gone).exists()


def test_what_a_unit_did_before_it_ceased_may_still_be_written_down(world: Any) -> None:
    from chithi.dialogues import services

    gone = _cease(world)
    held = services.create_dialogue(actor=world.user("secretary"), organisation=gone, title="Đối thoại năm 2020",
                                    held_on=dt.date(2020, 6, 12))
    assert held.organisation == gone

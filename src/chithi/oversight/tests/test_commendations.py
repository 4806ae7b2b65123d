"""Commendations in one place (issue 12): a practice's commendation, recorded on the practice's page, is an
oversight commendation — the practice page, the person's panel and the evaluation's evidence read the same row."""

from __future__ import annotations

import datetime as dt

import pytest

from chithi.oversight.models import Award, EvidenceSource
from chithi.oversight.selectors.evidence import member_evidence
from chithi.oversight.selectors.panels import person_panel
from chithi.practices import selectors as practice_selectors
from chithi.practices import services as practices
from chithi.practices.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_a_practice_commendation_is_read_from_one_place(world):
    practice = PracticeFactory(organisation=world.cell_a1, started_on=dt.date(2020, 1, 1))
    made = practices.add_commendation(actor=world.user("secretary"), practice=practice, title="Bằng khen",
                                      level="central", awarded_on=dt.date(2025, 5, 19),
                                      decision_number="12-QĐ/TW", person=world.person_a1)
    award = Award.objects.get()
    assert made.pk == award.pk and award.organisation == world.cell_a1 and award.form == "Bằng khen"
    assert list(practice_selectors.commendations(practice)) == [award]
    assert person_panel(user=world.user("admin"), obj=world.person_a1)["awards"] == [award]
    evidence = member_evidence(world.person_a1, 2025)
    assert evidence[EvidenceSource.COMMENDATIONS]["forms"] == ["Bằng khen"]
    assert evidence[EvidenceSource.PRACTICES]["count"] == 1

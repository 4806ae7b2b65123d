"""The dialogues demo: every answer speaks of its own issue and is signed by the unit that answered; web issues
with a ward sit in that ward (or with the category's unit); new public issues reached someone."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command

from chithi.core.models import Notification
from chithi.dialogues.demo import ANSWERS, DESCRIPTIONS, answer_for
from chithi.dialogues.models import Issue, IssueChannel


def test_each_description_has_its_own_answer() -> None:
    assert set(ANSWERS) == set(DESCRIPTIONS)
    for code, descriptions in DESCRIPTIONS.items():
        assert len(ANSWERS[code]) == len(descriptions), code
        assert len(set(ANSWERS[code])) == len(descriptions), code


def test_demo_answers_match_their_issues(db: Any) -> None:
    call_command("load_demo", stdout=StringIO())
    answered = Issue.objects.exclude(answer="").select_related("category", "answered_by_unit", "organisation")
    assert answered.count() > 50
    for issue in answered:
        assert issue.answer == answer_for(issue), issue.display_code
        assert issue.answer in ANSWERS[issue.category.code]
        assert issue.answered_by_unit_id is not None
    web = Issue.objects.filter(channel=IssueChannel.WEB, area_unit__isnull=False).select_related("category")
    assert web.exists()
    for issue in web.exclude(category__code="an-ninh"):
        assert issue.events.filter(kind="received").exists()
        first = issue.events.exclude(kind="received").order_by("at", "id").first()
        landed = first.from_unit_id if first is not None and first.from_unit_id else issue.organisation_id
        assert landed == issue.area_unit_id, issue.display_code
    assert Notification.objects.filter(title__contains="-").exists()
    # The demo's present is the 2025 two-level Vietnam: each ward of today has held dialogues since the merger,
    # with issues raised at them (a ward secretary's list started with the old wards' 2020 dialogues).
    from chithi.dialogues.models import Dialogue
    from chithi.orgs.models import Organisation, OrgKind

    wards = Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE, dissolved_on__isnull=True)
    assert wards.exists()
    for ward in wards:
        recent = Dialogue.objects.filter(organisation=ward, held_on__gte=dt.date(2025, 7, 1))
        assert recent.count() >= 2 and Issue.objects.filter(dialogue__in=recent).exists(), ward.name
    # Nothing raised since the merger sits with, or was answered by, a body that had already ended (the city
    # police, ended on 30/06/2025, answered security issues of November 2026).
    for issue in Issue.objects.filter(received_at__date__gte=dt.date(2025, 7, 1)).select_related(
            "organisation", "answered_by_unit"):
        for unit in (issue.organisation, issue.answered_by_unit):
            assert unit is None or unit.dissolved_on is None or unit.dissolved_on > issue.received_at.date(), (
                issue.display_code, unit.name, issue.channel, issue.status)

"""Data migration dialogues 0006: every issue answered before it gets its working days to the answer (the column
the figures now sum), counted as core.workdays counts them. Run on SQLite (row by row) and, in the PostgreSQL pass
of scripts/test.sh, on PostgreSQL (one UPDATE joined to a temporary calendar); only the room's last migration is
rolled back and replayed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.migrations.executor import MigrationExecutor

from chithi.core.workdays import working_days_elapsed
from chithi.dialogues.models import Issue

# the schema is changed under the test, which SQLite refuses inside the test case's transaction
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("dialogues", "0005_published_issue_indexes")]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_answered_issues_get_their_working_days(world: Any, executor: MigrationExecutor) -> None:
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    category = apps.get_model("dialogues", "IssueCategory").objects.create(name="Hạ tầng", code="ha-tang-m")
    made = apps.get_model("dialogues", "Issue").objects

    def issue(code: str, received: dt.datetime, answered: dt.datetime | None) -> int:
        return made.create(tracking_code=code, channel="web", category=category, description="Đèn hỏng",
                           organisation_id=world.ward_a.pk, received_at=received, answered_at=answered,
                           status="answered" if answered else "received", ack_due_on=received.date(),
                           answer_due_on=received.date()).pk

    # Wednesday 29/4/2026 23:30 local (16:30 UTC, still the 29th here); 30/4 and 1/5 are holidays, 2–3/5 a
    # weekend: answered Monday 4/5 00:15 local (3/5 17:15 UTC) is one working day by the local dates.
    late_night = issue("MIG0000001", dt.datetime(2026, 4, 29, 16, 30, tzinfo=dt.UTC),
                       dt.datetime(2026, 5, 3, 17, 15, tzinfo=dt.UTC))
    same_day = issue("MIG0000002", dt.datetime(2026, 3, 2, 8, tzinfo=TZ), dt.datetime(2026, 3, 2, 16, tzinfo=TZ))
    long = issue("MIG0000003", dt.datetime(2025, 12, 29, 9, tzinfo=TZ), dt.datetime(2026, 3, 2, 9, tzinfo=TZ))
    still_open = issue("MIG0000004", dt.datetime(2026, 3, 2, 8, tzinfo=TZ), None)

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    days = dict(Issue.objects.values_list("pk", "answer_working_days"))
    assert days[late_night] == 1
    assert days[same_day] == 0
    found = Issue.objects.get(pk=long)
    assert days[long] == working_days_elapsed(found.received_at, found.answered_at)  # across Tết 2026
    assert days[still_open] is None

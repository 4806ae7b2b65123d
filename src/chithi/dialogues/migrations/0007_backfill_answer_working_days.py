"""Every issue answered before 0006 gets its working days to the answer.

Not atomic, in batches of ids each in its own transaction: on a national database about five million rows are
rewritten (every index gets the new row versions), which takes many minutes; one transaction would hold the
table's lock through them and block citizens' submissions, and a failure would lose all the work done. A batch
that is interrupted is redone by running the migration again: it only fills rows still null."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models


def _ordinals(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Working days counted from `first` up to each day: the difference of two is the working days between them
    (weekends and Vietnam's public holidays off, as core.workdays counts them; written out here so that the
    migration keeps its meaning if that module changes)."""
    import holidays

    off = set(holidays.country_holidays("VN", years=range(first.year, last.year + 1)).keys())
    result, count, day = {}, 0, first
    while day <= last:
        if day > first and day.weekday() < 5 and day not in off:
            count += 1
        result[day] = count
        day += dt.timedelta(days=1)
    return result


BATCH = 100_000  # ids a transaction on PostgreSQL


def backfill(apps, schema_editor):
    """PostgreSQL: an UPDATE joined to a temporary calendar for each batch of ids; elsewhere (SQLite, the demo),
    row by row in Python."""
    from zoneinfo import ZoneInfo

    from django.db import transaction

    Issue = apps.get_model("dialogues", "Issue")
    db = schema_editor.connection.alias
    answered = Issue.objects.using(db).filter(answered_at__isnull=False, answer_working_days__isnull=True)
    bounds = answered.aggregate(first=models.Min("received_at"), last=models.Max("answered_at"))
    if bounds["first"] is None:
        return
    tz = ZoneInfo(settings.TIME_ZONE)
    first = min(bounds["first"], bounds["last"]).astimezone(tz).date() - dt.timedelta(days=1)
    last = max(bounds["first"], bounds["last"]).astimezone(tz).date() + dt.timedelta(days=1)
    ordinals = _ordinals(first, last)
    if schema_editor.connection.vendor == "postgresql":
        ids = answered.aggregate(low=models.Min("id"), high=models.Max("id"))
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE chithi_workday (day date PRIMARY KEY, ordinal integer)")
            cursor.executemany("INSERT INTO chithi_workday VALUES (%s, %s)", list(ordinals.items()))
            for low in range(ids["low"], ids["high"] + 1, BATCH):
                with transaction.atomic(using=db):
                    cursor.execute(
                        "UPDATE dialogues_issue i SET answer_working_days = GREATEST(0, a.ordinal - r.ordinal) "
                        "FROM chithi_workday r, chithi_workday a WHERE i.id >= %s AND i.id < %s "
                        "AND i.answered_at IS NOT NULL AND i.answer_working_days IS NULL "
                        "AND r.day = (i.received_at AT TIME ZONE %s)::date "
                        "AND a.day = (i.answered_at AT TIME ZONE %s)::date",
                        [low, low + BATCH, settings.TIME_ZONE, settings.TIME_ZONE])
            cursor.execute("DROP TABLE chithi_workday")
        return
    batch = []
    for issue in list(answered.only("id", "received_at", "answered_at")):  # the demo: a few thousand rows
        issue.answer_working_days = max(0, ordinals[issue.answered_at.astimezone(tz).date()]
                                        - ordinals[issue.received_at.astimezone(tz).date()])
        batch.append(issue)
        if len(batch) >= 2000:
            Issue.objects.using(db).bulk_update(batch, ["answer_working_days"])
            batch = []
    Issue.objects.using(db).bulk_update(batch, ["answer_working_days"])




class Migration(migrations.Migration):
    atomic = False

    dependencies = [("dialogues", "0006_issue_answer_working_days")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]

"""The trigram index on the issues' search text writes each new issue straight into the index (fastupdate off).

With GIN's default pending list, citizens' submissions pile their entries into a list that one unlucky submission
then merges into the 2.3 GB index of a national database: the public intake's 99th percentile was 2.2 s under load.
Without it, each submission pays its own share (the p99 fell to 89 ms, the median did not move): a steady cost is
what a public form wants. PostgreSQL only; the other trigram indexes (written by staff, rarely) keep the default.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS dialogues_issue_search_text_trgm SET (fastupdate = off)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS dialogues_issue_search_text_trgm RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0007_backfill_answer_working_days")]

    operations = [migrations.RunPython(forwards, backwards)]

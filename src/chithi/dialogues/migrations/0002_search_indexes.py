"""Trigram indexes on the folded search column (PostgreSQL only; see core.search)."""

from django.db import migrations

from chithi.core.search import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0001_initial")]

    operations = [
        trigram_index_operation("dialogues_issue"),
        trigram_index_operation("dialogues_dialogue"),
    ]

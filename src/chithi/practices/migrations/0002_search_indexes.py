"""Trigram index on the folded search column of practices (PostgreSQL only; see core.search)."""

from django.db import migrations

from chithi.core.search import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [
        trigram_index_operation("practices_practice"),
    ]

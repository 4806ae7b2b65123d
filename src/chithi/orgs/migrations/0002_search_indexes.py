"""Trigram indexes on the folded search column (PostgreSQL only; see core.search)."""

from django.db import migrations

from chithi.core.search import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        trigram_index_operation("orgs_organisation"),
        trigram_index_operation("orgs_person"),
    ]

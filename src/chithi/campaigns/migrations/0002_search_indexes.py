"""Trigram indexes on the folded search columns (PostgreSQL only; see core.search)."""

from django.db import migrations

from chithi.core.search import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [
        trigram_index_operation("campaigns_directive"),
        trigram_index_operation("campaigns_theme"),
        trigram_index_operation("campaigns_plan"),
        trigram_index_operation("campaigns_plantask"),
    ]

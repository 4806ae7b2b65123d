"""Read-only admin views: practices change through the product's services (validated and audited)."""

from django.contrib import admin

from chithi.core.admin import ReadOnlyAdmin

from .models import (
    Commendation,
    EvidenceLink,
    Indicator,
    Practice,
    PracticeDocument,
    PracticePhoto,
    Replication,
    Result,
)


@admin.register(Practice)
class PracticeAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "status", "is_public", "reach", "started_on"]
    list_filter = ["status", "is_public"]
    search_fields = ["search_text"]


for model in (Indicator, Result, Replication, Commendation, PracticePhoto, PracticeDocument, EvidenceLink):
    admin.site.register(model, ReadOnlyAdmin)

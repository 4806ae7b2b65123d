"""Read-only admin views: organisations and people change through the product's services."""

from django.contrib import admin

from chithi.core.admin import ReadOnlyAdmin

from .models import Membership, Organisation, Person, RestructuringEvent, RoleAssignment


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "code", "parent", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["search_text"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "birth_date", "is_party_member"]
    search_fields = ["search_text"]


admin.site.register(Membership, ReadOnlyAdmin)
admin.site.register(RoleAssignment, ReadOnlyAdmin)
admin.site.register(RestructuringEvent, ReadOnlyAdmin)

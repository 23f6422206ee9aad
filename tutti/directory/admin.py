from django.contrib import admin

from tutti.directory.models import (
    Expertise,
    Hub,
    LocalAuthority,
    Organisation,
    PartnerCommitments,
    Partnership,
)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "gss_code"]
    search_fields = ["code", "name"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["local_authorities"]


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "urn", "postcode", "local_authority", "is_open"]
    list_filter = ["kind", "is_open", "listed_publicly", "local_authority"]
    search_fields = ["name", "urn", "postcode"]
    autocomplete_fields = ["local_authority"]
    filter_horizontal = ["expertise"]


@admin.register(PartnerCommitments)
class PartnerCommitmentsAdmin(admin.ModelAdmin):
    list_display = ["hub", "version", "created_at"]
    list_filter = ["hub"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "hub", "status", "since", "commitments_accepted"]
    list_filter = ["hub", "status"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation", "hub"]

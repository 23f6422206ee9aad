from django.contrib import admin

from tutti.programmes.models import OutcomeMeasure, Programme, Resource, Site, SitePerson


class MeasureInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "lead_organisation", "starts_on", "ends_on", "status"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["lead_organisation", "leads", "events"]
    inlines = [MeasureInline]
    # Published and kept figures are snapshots: changed only by publishing and erasure.
    readonly_fields = ["outcomes_figures", "kept_figures", "pupils_erased_at"]


class SitePersonInline(admin.TabularInline):
    model = SitePerson
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    # Pupils are not in the admin: they are read only through the audited pages.
    list_display = ["school", "organisation", "programme"]
    raw_id_fields = ["organisation", "school", "hub"]
    inlines = [SitePersonInline]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "created_at"]

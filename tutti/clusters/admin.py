from django.contrib import admin

from tutti.clusters.models import Cluster, ClusterMember


class ClusterMemberInline(admin.TabularInline):
    model = ClusterMember
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "hub", "coordinator", "contact_email"]
    list_filter = ["hub"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["coordinator"]
    inlines = [ClusterMemberInline]

from django.contrib import admin

from tutti.provision.models import Network, SchoolAudit, WorkingGroup


@admin.register(SchoolAudit)
class SchoolAuditAdmin(admin.ModelAdmin):
    list_display = [
        "school",
        "hub",
        "year",
        "wcet",
        "singing",
        "ensembles",
        "tuition",
        "send",
        "mdp",
    ]
    list_filter = ["hub", "year"]
    search_fields = ["school__name"]
    raw_id_fields = ["school"]


class WorkingGroupInline(admin.StackedInline):
    model = WorkingGroup
    extra = 0
    filter_horizontal = ["organisations", "local_authorities"]
    raw_id_fields = ["members", "clusters"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["hubs"]
    raw_id_fields = ["partners"]
    inlines = [WorkingGroupInline]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "is_steering"]
    list_filter = ["network"]
    raw_id_fields = ["members", "organisations", "clusters"]
    filter_horizontal = ["local_authorities"]

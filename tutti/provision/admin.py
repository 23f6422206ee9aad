from django.contrib import admin

from tutti.provision.models import SchoolAudit


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

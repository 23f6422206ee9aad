from django.contrib import admin

from tutti.core.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "hub", "actor", "object_type", "object_id"]
    list_filter = ["action", "hub"]
    search_fields = ["action", "object_id"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin

from tutti.transition.models import FeederDecision, Passport


@admin.register(FeederDecision)
class FeederDecisionAdmin(admin.ModelAdmin):
    list_display = ["secondary", "primary", "state", "hub"]
    list_filter = ["state", "hub"]
    raw_id_fields = ["secondary", "primary", "decided_by"]


@admin.register(Passport)
class PassportAdmin(admin.ModelAdmin):
    # Children's data: the admin lists status only, and no field is searchable.
    list_display = ["pk", "hub", "status", "intake_year", "sent_at"]
    list_filter = ["status", "hub", "intake_year"]
    exclude = ["child_name", "family_email", "access_needs", "next_steps"]
    raw_id_fields = ["primary", "secondary", "partner", "acknowledged_by", "contacted_by"]

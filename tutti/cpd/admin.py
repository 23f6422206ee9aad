from django.contrib import admin

from tutti.cpd.models import (
    DaySession,
    NetworkDay,
    NetworkMember,
    PeerVisit,
    Resource,
    SupplyClaim,
    Survey,
    Thread,
)


@admin.register(NetworkMember)
class NetworkMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "network", "role", "status", "school"]
    list_filter = ["role", "status", "network"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user", "school", "decided_by"]


class DaySessionInline(admin.TabularInline):
    model = DaySession
    extra = 0
    raw_id_fields = ["presenter_member"]


@admin.register(NetworkDay)
class NetworkDayAdmin(admin.ModelAdmin):
    list_display = ["network", "term", "year", "event"]
    raw_id_fields = ["event"]
    inlines = [DaySessionInline]


@admin.register(SupplyClaim)
class SupplyClaimAdmin(admin.ModelAdmin):
    list_display = ["school", "member", "day", "amount", "status"]
    list_filter = ["status"]
    raw_id_fields = ["day", "member", "school", "claimed_by", "decided_by"]


admin.site.register([Resource, Thread, PeerVisit, Survey])

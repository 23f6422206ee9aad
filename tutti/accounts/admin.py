from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tutti.accounts.models import Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["hub", "organisations"]


@admin.register(User)
class TuttiUserAdmin(UserAdmin):
    list_display = ["email", "first_name", "last_name", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "hub", "role"]
    list_filter = ["hub", "role"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "hub", "organisations"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # Sent, resent and withdrawn on the hub's team page, where each step is audited.
    list_display = ["email", "hub", "role", "status", "sent_at", "expires_at"]
    list_filter = ["hub", "role", "status"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

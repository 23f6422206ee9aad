from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tutti.accounts.models import Membership, User


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

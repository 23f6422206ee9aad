from django.contrib import admin

from tutti.events.models import (
    Attendance,
    Booking,
    CalendarFeed,
    Event,
    EventCategory,
    EventSession,
)


@admin.register(EventCategory)
class EventCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "hub", "position"]
    list_filter = ["hub"]
    prepopulated_fields = {"slug": ["name"]}


class EventSessionInline(admin.TabularInline):
    model = EventSession
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "hub", "category", "starts_at", "status", "capacity"]
    list_filter = ["hub", "status", "category"]
    search_fields = ["title", "summary"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["venue", "organiser", "cluster", "created_by"]
    inlines = [EventSessionInline]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["session", "recorded_by"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "status", "created_at"]
    list_filter = ["status", "event__hub"]
    search_fields = ["name", "email", "event__title"]
    raw_id_fields = ["event", "user", "booked_by"]
    readonly_fields = ["reference"]
    inlines = [AttendanceInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # The token is a secret: not shown. Deleting the row stops the address.
    list_display = ["user", "created_at", "updated_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    exclude = ["token"]

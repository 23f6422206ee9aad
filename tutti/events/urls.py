from django.urls import path

from tutti.events.views import bookings, feeds, public

app_name = "events"
urlpatterns = [
    path("", public.whats_on, name="list"),
    path("feed.ics", feeds.feed, name="feed"),
    path("my-bookings/", bookings.my_bookings, name="my-bookings"),
    path("my-bookings/calendar/", feeds.my_feed_reset, name="my-feed-reset"),
    path("my-bookings/<str:token>.ics", feeds.my_feed, name="my-feed"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("<int:pk>/event.ics", feeds.event_ics, name="event-ics"),
    path("bookings/<str:token>/", bookings.booking_detail, name="booking"),
    path("bookings/<str:token>/cancel/", bookings.booking_cancel, name="booking-cancel"),
]

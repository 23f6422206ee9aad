from django.urls import path

from tutti.events import views

app_name = "events"
urlpatterns = [
    path("", views.whats_on, name="list"),
    path("feed.ics", views.feed, name="feed"),
    path("my-bookings/", views.my_bookings, name="my-bookings"),
    path("my-bookings/calendar/", views.my_feed_reset, name="my-feed-reset"),
    path("my-bookings/<str:token>.ics", views.my_feed, name="my-feed"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="event-ics"),
    path("bookings/<str:token>/", views.booking_detail, name="booking"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking-cancel"),
]

from django.urls import path

from tutti.events import views

app_name = "events"
urlpatterns = [
    path("", views.whats_on, name="list"),
    path("feed.ics", views.feed, name="feed"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="event-ics"),
    path("bookings/<str:token>/", views.booking_detail, name="booking"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking-cancel"),
]

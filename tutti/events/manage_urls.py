from django.urls import path

from tutti.events import views

app_name = "events-manage"
urlpatterns = [
    path("", views.manage_event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("cpd/", views.cpd_record, name="cpd"),
    path("<int:pk>/", views.manage_event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/duplicate/", views.event_duplicate, name="duplicate"),
    path("<int:pk>/attendees.csv", views.attendees_csv, name="attendees-csv"),
    path("<int:pk>/attendees.xlsx", views.attendees_xlsx, name="attendees-xlsx"),
    path(
        "<int:pk>/attendance/<int:session_pk>/",
        views.session_attendance,
        name="attendance",
    ),
    path(
        "<int:pk>/bookings/<int:booking_pk>/cancel/",
        views.manage_booking_cancel,
        name="booking-cancel",
    ),
]

from django.urls import path

from tutti.events.views import attendance, manage

app_name = "events-manage"
urlpatterns = [
    path("", manage.manage_event_list, name="list"),
    path("new/", manage.event_create, name="create"),
    path("cpd/", attendance.cpd_record, name="cpd"),
    path("<int:pk>/", manage.manage_event_detail, name="detail"),
    path("<int:pk>/edit/", manage.event_edit, name="edit"),
    path("<int:pk>/publish/", manage.event_publish, name="publish"),
    path("<int:pk>/cancel/", manage.event_cancel, name="cancel"),
    path("<int:pk>/duplicate/", manage.event_duplicate, name="duplicate"),
    path("<int:pk>/attendees.csv", manage.attendees_csv, name="attendees-csv"),
    path("<int:pk>/attendees.xlsx", manage.attendees_xlsx, name="attendees-xlsx"),
    path(
        "<int:pk>/attendance/<int:session_pk>/",
        attendance.session_attendance,
        name="attendance",
    ),
    path(
        "<int:pk>/bookings/<int:booking_pk>/cancel/",
        manage.manage_booking_cancel,
        name="booking-cancel",
    ),
]

from django.urls import path

from tutti.provision import views

app_name = "provision-manage"
urlpatterns = [
    path("", views.manage_provision, name="list"),
    path("remind/", views.send_reminders, name="remind"),
    path("schools/<int:school_id>/new-link/", views.audit_link_replace, name="link-replace"),
    path("report.pdf", views.provision_report, name="report"),
]

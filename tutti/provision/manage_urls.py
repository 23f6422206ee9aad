from django.urls import path

from tutti.provision import views

app_name = "provision-manage"
urlpatterns = [
    path("", views.manage_provision, name="list"),
    path("remind/", views.send_reminders, name="remind"),
    path("report.pdf", views.provision_report, name="report"),
]

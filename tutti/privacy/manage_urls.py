from django.urls import path

from tutti.privacy import views

app_name = "privacy-manage"
urlpatterns = [
    path("privacy/", views.person, name="person"),
    path("privacy/download/", views.download, name="download"),
    path("privacy/erase/", views.erase, name="erase"),
    path("audit-log/", views.audit_log, name="audit-log"),
]

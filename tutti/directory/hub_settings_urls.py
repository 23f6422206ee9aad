from django.urls import path

from tutti.directory import hub_settings_views

app_name = "settings-manage"
urlpatterns = [
    path("", hub_settings_views.hub_settings, name="edit"),
    path("logo/", hub_settings_views.hub_logo, name="logo"),
]

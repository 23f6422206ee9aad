from django.urls import path

from tutti.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.hub_home, name="hub-home"),
    path("directory/", views.directory_search, name="search"),
    path("directory/<int:pk>/", views.organisation_detail, name="organisation"),
]

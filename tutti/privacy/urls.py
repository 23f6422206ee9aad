from django.urls import path

from tutti.privacy import views

app_name = "privacy"
urlpatterns = [
    path("accounts/my-data/", views.my_data, name="my-data"),
    path("<slug:hub_slug>/privacy/", views.notice, name="notice"),
]

from django.urls import path

from tutti.participation import views

app_name = "participation"
urlpatterns = [
    path("", views.impact, name="impact"),
]

from django.urls import path

from tutti.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.request_form, name="request"),
    path("follow/<str:token>/", views.follow, name="follow"),
]

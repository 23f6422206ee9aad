from django.urls import path

from tutti.transition import views

app_name = "transition"
urlpatterns = [
    path("passport/", views.passport_start, name="passport-start"),
    path("passport/<str:token>/", views.passport, name="passport"),
    path("passport/<str:token>/send/", views.passport_send, name="passport-send"),
    path("passport/<str:token>/withdraw/", views.passport_withdraw, name="passport-withdraw"),
]

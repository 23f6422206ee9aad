from django.urls import path

from tutti.transition import views

app_name = "transition-manage"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:urn>/", views.school, name="school"),
    path("<int:urn>/feeders/", views.feeders, name="feeders"),
    path("<int:urn>/passports/", views.passports, name="passports"),
    path("<int:urn>/passports/<int:pk>/", views.passport_detail, name="passport"),
    path("<int:urn>/music-lead/", views.music_lead, name="music-lead"),
]

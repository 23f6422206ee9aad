from django.urls import path

from tutti.provision import views

app_name = "networks"
urlpatterns = [
    path("<slug:network_slug>/", views.network_detail, name="detail"),
]

from django.urls import path

from tutti.clusters import views

app_name = "clusters"
urlpatterns = [
    path("", views.cluster_list, name="list"),
    path("<slug:cluster_slug>/", views.cluster_detail, name="detail"),
]

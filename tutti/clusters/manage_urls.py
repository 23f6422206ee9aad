from django.urls import path

from tutti.clusters import views

app_name = "clusters-manage"
urlpatterns = [
    path("", views.manage_cluster_list, name="list"),
    path("new/", views.cluster_create, name="create"),
    path("assign/", views.cluster_assign, name="assign"),
    path("<int:pk>/", views.cluster_members, name="members"),
    path("<int:pk>/edit/", views.cluster_edit, name="edit"),
    path("<int:pk>/coordinator/", views.cluster_coordinator, name="coordinator"),
    path("<int:pk>/members/add/", views.cluster_member_add, name="member-add"),
    path("<int:pk>/members/remove/", views.cluster_member_remove, name="member-remove"),
]

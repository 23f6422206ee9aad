from django.urls import path

from tutti.directory import register_views, views

app_name = "directory-manage"
urlpatterns = [
    path("", views.manage_home, name="home"),
    path("directory/", views.manage_directory, name="directory"),
    path("directory/new/", views.organisation_create, name="organisation-create"),
    path("directory/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("commitments/", views.partner_commitments, name="commitments"),
    path("directory/import/", register_views.register_import, name="register-import"),
]

from django.urls import path

from tutti.participation import views

app_name = "participation-manage"
urlpatterns = [
    path("", views.manage_home, name="home"),
    path("new/<slug:section>/", views.record_create, name="record-create"),
    path("records/<slug:section>/<int:pk>/edit/", views.record_edit, name="record-edit"),
    path("records/<slug:section>/<int:pk>/delete/", views.record_delete, name="record-delete"),
    path("figures/<slug:key>/", views.figure_records, name="figure-records"),
    path("publish/", views.publish, name="publish"),
    path("return.xlsx", views.return_xlsx, name="return-xlsx"),
    path("return.csv", views.return_csv, name="return-csv"),
]
urlpatterns += [
    path("collections/", views.collection_list, name="collections"),
    path("collections/<int:pk>/", views.collection_detail, name="collection"),
    path("collections/<int:pk>/remind/", views.collection_remind, name="collection-remind"),
    path("returns/<int:pk>/", views.submission_detail, name="submission"),
    path("returns/<int:pk>/new-link/", views.submission_link_replace, name="submission-link"),
    path(
        "returns/<int:pk>/new/<slug:section>/",
        views.submission_record_create,
        name="submission-record-create",
    ),
    path("returns/<int:pk>/submit/", views.submission_send, name="submission-submit"),
    path("returns/<int:pk>/template.xlsx", views.submission_template, name="submission-template"),
]

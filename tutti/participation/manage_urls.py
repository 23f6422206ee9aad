from django.urls import path

from tutti.participation.views import collections, exports, impact, records, returns

app_name = "participation-manage"
urlpatterns = [
    path("", records.manage_home, name="home"),
    path("new/<slug:kind>/", records.record_create, name="record-create"),
    path("records/<slug:kind>/<int:pk>/edit/", records.record_edit, name="record-edit"),
    path("records/<slug:kind>/<int:pk>/delete/", records.record_delete, name="record-delete"),
    path("figures/<slug:key>/", impact.figure_records, name="figure-records"),
    path("publish/", impact.publish, name="publish"),
    path("return.xlsx", exports.return_xlsx, name="return-xlsx"),
    path("return.csv", exports.return_csv, name="return-csv"),
]
urlpatterns += [
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<int:pk>/", collections.collection_detail, name="collection"),
    path("collections/<int:pk>/remind/", collections.collection_remind, name="collection-remind"),
    path("returns/<int:pk>/", returns.submission_detail, name="submission"),
    path("returns/<int:pk>/new-link/", collections.submission_link_replace, name="submission-link"),
    path(
        "returns/<int:pk>/new/<slug:kind>/",
        returns.submission_record_create,
        name="submission-record-create",
    ),
    path("returns/<int:pk>/submit/", returns.submission_send, name="submission-submit"),
    path("returns/<int:pk>/template.xlsx", returns.submission_template, name="submission-template"),
]

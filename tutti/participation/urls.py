from django.urls import path

from tutti.participation import views

app_name = "participation"
urlpatterns = [
    path("impact/", views.impact, name="impact"),
]
# A partner's return through its signed link: the token stands in for signing in.
LINK = "returns/<int:pk>/<str:token>/"
urlpatterns += [
    path(LINK, views.return_link, name="return-link"),
    path(f"{LINK}add/<slug:section>/", views.return_link_add, name="return-link-add"),
    path(f"{LINK}submit/", views.return_link_submit, name="return-link-submit"),
    path(f"{LINK}template.xlsx", views.return_link_template, name="return-link-template"),
    path(
        f"{LINK}records/<slug:section>/<int:record_pk>/edit/",
        views.return_link_edit,
        name="return-link-edit",
    ),
    path(
        f"{LINK}records/<slug:section>/<int:record_pk>/delete/",
        views.return_link_delete,
        name="return-link-delete",
    ),
]

from django.urls import path

from tutti.participation.views import impact, returns

app_name = "participation"
urlpatterns = [
    path("impact/", impact.impact, name="impact"),
]
# A partner's return through its signed link: the token stands in for signing in.
LINK = "returns/<int:pk>/<str:token>/"
urlpatterns += [
    path(LINK, returns.return_link, name="return-link"),
    path(f"{LINK}add/<slug:kind>/", returns.return_link_add, name="return-link-add"),
    path(f"{LINK}submit/", returns.return_link_submit, name="return-link-submit"),
    path(f"{LINK}template.xlsx", returns.return_link_template, name="return-link-template"),
    path(
        f"{LINK}records/<slug:kind>/<int:record_pk>/edit/",
        returns.return_link_edit,
        name="return-link-edit",
    ),
    path(
        f"{LINK}records/<slug:kind>/<int:record_pk>/delete/",
        returns.return_link_delete,
        name="return-link-delete",
    ),
]

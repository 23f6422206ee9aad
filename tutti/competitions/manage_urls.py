from django.urls import path

from tutti.competitions.views import manage

app_name = "competitions-manage"
urlpatterns = [
    path("", manage.competition_list, name="list"),
    path("new/", manage.competition_create, name="create"),
    path("<int:pk>/", manage.competition_detail, name="detail"),
    path("<int:pk>/edit/", manage.competition_edit, name="edit"),
    path("<int:pk>/categories/", manage.categories, name="categories"),
    path("<int:pk>/rubric/", manage.rubric, name="rubric"),
    path("<int:pk>/adjudicators/", manage.adjudicators, name="adjudicators"),
    path(
        "<int:pk>/adjudicators/<int:adjudicator_id>/",
        manage.adjudicator,
        name="adjudicator",
    ),
    path("<int:pk>/entries/", manage.entries, name="entries"),
    path("<int:pk>/entries/<int:entry_id>/", manage.entry_detail, name="entry"),
    path("<int:pk>/scores/", manage.scores, name="scores"),
    path("<int:pk>/final/", manage.final, name="final"),
    path("<int:pk>/publish/", manage.publish_results, name="publish"),
]

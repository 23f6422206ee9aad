from django.urls import path

from tutti.competitions.views import family, judging, public

app_name = "competitions"
urlpatterns = [
    path("", public.competition_list, name="list"),
    # Signed links first: their tokens stand in for an account.
    path("entries/<str:token>/", family.entry_detail, name="entry"),
    path("entries/<str:token>/change/", family.entry_change, name="entry-change"),
    path("entries/<str:token>/withdraw/", family.entry_withdraw, name="entry-withdraw"),
    path("entries/<str:token>/video/", family.entry_video, name="entry-video"),
    path("entries/<str:token>/certificate.pdf", family.certificate, name="certificate"),
    path("videos/<str:token>/", family.video, name="video"),
    path("adjudicators/<str:token>/", judging.adjudicator_accept, name="adjudicator-accept"),
    path("<slug:slug>/", public.competition_detail, name="detail"),
    path("<slug:slug>/enter/", public.entry_create, name="enter"),
    path("<slug:slug>/results/", public.results, name="results"),
    path("<slug:slug>/judging/", judging.judging, name="judging"),
    path("<slug:slug>/judging/<int:number>/", judging.judge_entry, name="judge-entry"),
    path(
        "<slug:slug>/judging/<int:number>/conflict/",
        judging.declare_conflict,
        name="declare-conflict",
    ),
]

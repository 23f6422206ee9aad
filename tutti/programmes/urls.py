from django.urls import path

from tutti.programmes import views, views_senco

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/outcomes.pdf", views.outcomes_pdf, name="outcomes-pdf"),
    path("<slug:slug>/manage/", views.dashboard, name="dashboard"),
    path("<slug:slug>/manage/edit/", views.programme_edit, name="edit"),
    path("<slug:slug>/manage/sites/new/", views.site_create, name="site-create"),
    path("<slug:slug>/manage/leads/invite/", views.lead_invite, name="lead-invite"),
    path("<slug:slug>/manage/publish/", views.publish, name="publish"),
    path("<slug:slug>/manage/measures/", views.measures, name="measures"),
    path("<slug:slug>/manage/funder-report.xlsx", views.funder_report, name="funder-report"),
    path("<slug:slug>/manage/events/", views.events_link, name="events"),
    path("<slug:slug>/manage/resources/new/", views.resource_create, name="resource-create"),
    path("<slug:slug>/resources/", views.resources, name="resources"),
    path("<slug:slug>/reflection/", views.reflection, name="reflection"),
    path("<slug:slug>/sites/<int:site_id>/", views.site_detail, name="site"),
    path("<slug:slug>/sites/<int:site_id>/invite/", views.site_invite, name="site-invite"),
    path(
        "<slug:slug>/sites/<int:site_id>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("<slug:slug>/sites/<int:site_id>/senco-link/", views.senco_link, name="senco-link"),
    path("<slug:slug>/sites/<int:site_id>/pupils/", views.pupils, name="pupils"),
    path(
        "<slug:slug>/sites/<int:site_id>/pupils/<int:pupil_id>/scores/",
        views.scores,
        name="scores",
    ),
    path(
        "<slug:slug>/sites/<int:site_id>/pupils/<int:pupil_id>/remove/",
        views.pupil_remove,
        name="pupil-remove",
    ),
    path("<slug:slug>/sites/<int:site_id>/sessions/plan/", views.sessions_plan, name="plan"),
    path(
        "<slug:slug>/sites/<int:site_id>/sessions/<int:session_id>/",
        views.attendance,
        name="attendance",
    ),
    path("<slug:slug>/senco/<str:token>/", views_senco.senco_home, name="senco"),
    path(
        "<slug:slug>/senco/<str:token>/pupils/<int:pupil_id>/scores/",
        views_senco.senco_scores,
        name="senco-scores",
    ),
    path(
        "<slug:slug>/senco/<str:token>/pupils/<int:pupil_id>/remove/",
        views_senco.senco_remove,
        name="senco-remove",
    ),
]

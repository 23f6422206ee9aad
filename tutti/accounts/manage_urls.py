from django.urls import path

from tutti.accounts import team_views

app_name = "team-manage"
urlpatterns = [
    path("", team_views.team, name="list"),
    path("invite/", team_views.invite, name="invite"),
    path("<int:pk>/", team_views.member_edit, name="member-edit"),
    path("<int:pk>/remove/", team_views.member_remove, name="member-remove"),
    path("invitations/<int:pk>/resend/", team_views.invitation_resend, name="invitation-resend"),
    path(
        "invitations/<int:pk>/withdraw/",
        team_views.invitation_withdraw,
        name="invitation-withdraw",
    ),
]

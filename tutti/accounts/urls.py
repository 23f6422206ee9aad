from allauth.account import views as allauth_views
from django.urls import path

from tutti.accounts import views
from tutti.core.permissions import public_view

app_name = "accounts"
urlpatterns = [
    # allauth's own pages, under the names the rest of Tutti reverses.
    path("login/", public_view(allauth_views.login), name="login"),
    path("logout/", public_view(allauth_views.logout), name="logout"),
    path("", views.account, name="account"),
    path("two-factor-required/", views.two_factor_required, name="two-factor-required"),
    path("me/", views.my_hubs, name="my-hubs"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from tutti.accounts import views
from tutti.core.permissions import public_view

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public_view(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("logout/", public_view(auth_views.LogoutView.as_view()), name="logout"),
    path("me/", views.my_hubs, name="my-hubs"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]

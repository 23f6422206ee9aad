from django.urls import path

from tutti.newsletters.views import public

app_name = "newsletters"
urlpatterns = [
    path("", public.signup, name="signup"),
    path("check-your-email/", public.check_email, name="check-email"),
    path("embed/", public.embed, name="embed"),
    path("confirm/<str:token>/", public.confirm, name="confirm"),
    path("preferences/<str:token>/", public.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("images/<int:pk>/", public.image, name="image"),
    path("<slug:list_slug>/", public.archive, name="archive"),
    path("<slug:list_slug>/<int:pk>/", public.archived_issue, name="issue"),
]

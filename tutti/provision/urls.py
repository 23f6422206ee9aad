from django.urls import path

from tutti.provision import views

app_name = "provision"
urlpatterns = [
    path("", views.gap_map, name="gap-map"),
    path("audit/<int:school_id>/<str:token>/", views.audit_form, name="audit"),
]

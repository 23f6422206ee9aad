from django.conf import settings
from django.http import HttpRequest
from django.urls import path

from tutti.core import views


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """The one rule for a full address: the request's own host when there is a request, else
    SITE_URL (emails and feeds built in a task). Every other way of building one is refused by
    a test, so that a link never points at another port or host than the page it came from."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


# The home page (``core:home``) lists the hubs, which core knows nothing of: config/urls.py
# adds it to this namespace from the directory app.
app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

"""django-anymail's tracking webhooks, one per provider, so that any common provider's bounces
and complaints reach newsletters (tutti/newsletters/signals.py). Each checks its provider's
signature or the shared secret (``ANYMAIL`` in the settings) before anything is read. A
provider that is not set up here (no signing key, or its library not installed) answers 404.
Inbound mail is read only for List-Unsubscribe's ``mailto:`` (signals.py)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls  # type: ignore[import-untyped]
from anymail.exceptions import AnymailImproperlyInstalled  # type: ignore[import-untyped]
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern

app_name = "anymail"


def _set_up_or_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (ImproperlyConfigured, AnymailImproperlyInstalled) as error:
            # Raised as the view is made, before it reads anything: this provider is not ours.
            raise Http404("This mail provider is not set up here.") from error

    # The provider's signature or secret is the access rule.
    wrapper.access = "webhook"  # type: ignore[attr-defined]
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def _tracking(pattern: Any) -> bool:
    name = pattern.name or "" if isinstance(pattern, URLPattern) else ""
    return "tracking" in name or "inbound" in name


def _declared(pattern: URLPattern) -> URLPattern:
    return URLPattern(
        pattern.pattern, _set_up_or_404(pattern.callback), pattern.default_args, pattern.name
    )


urlpatterns = [_declared(p) for p in anymail_urls.urlpatterns if _tracking(p)]

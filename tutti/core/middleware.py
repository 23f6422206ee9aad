"""Security headers every response gets, and one log line for every refusal (403).

The Content Security Policy itself comes from django-csp (``CONTENT_SECURITY_POLICY`` in
config/settings/base.py); the API docs get their own through ``API_DOCS_CSP``.
"""

import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_resolver
from django.utils.cache import add_never_cache_headers
from django.views.csrf import csrf_failure as django_csrf_failure

from tutti.core.errors import DomainError

logger = logging.getLogger("tutti.security")


def is_public_page(request: HttpRequest) -> bool:
    """Whether a shared or browser cache may keep this page: only pages anyone may see.

    Staff pages, exports and a person's own pages declare an access other than "public"; a
    signed link (a partner's return, a school's audit, a booking, a private calendar) is public
    to whoever holds its token, which is as private as a password. The admin and the API declare
    nothing, so they count as private too.
    """
    match = request.resolver_match
    if match is None:
        return False
    return getattr(match.func, "access", None) == "public" and "token" not in match.kwargs


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    # The account's number, not its email: the log needs no personal data to be useful.
    return f"user {user.pk}" if user is not None and user.is_authenticated else "anonymous"


def _one_line(text: str) -> str:
    """Text a visitor chose (a path, a reason quoting input) cannot start a log line of its own."""
    return text.encode("unicode_escape").decode("ascii")


def log_forbidden(request: HttpRequest, response: HttpResponse, reason: str) -> None:
    logger.warning(
        "Forbidden (403): %s, %s %s: %s",
        _who(request),
        request.method,
        _one_line(request.get_full_path()),
        _one_line(reason or "no reason given"),
    )
    # Django logs each 4xx response once, with the traceback for a PermissionDenied; this
    # line replaces that one.
    response._has_been_logged = True  # type: ignore[attr-defined]


def _reason_in(response: HttpResponse) -> str:
    """The API's error body says why; a page's 403 says it to the person, not in any header."""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return str(json.loads(response.content).get("detail", ""))
        except (ValueError, AttributeError):
            return ""
    return ""


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no-store on every page that is not public; one
    log line per 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if (
            request.resolver_match is not None
            # A signed-in person's pages carry their name and links, even the public ones.
            and (not is_public_page(request) or _signed_in(request))
            and "no-store" not in response.get("Cache-Control", "")
        ):
            add_never_cache_headers(response)
        if response.status_code == 403 and not getattr(response, "_has_been_logged", False):
            log_forbidden(request, response, _reason_in(response))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        # The stub gives every handler the request alone; the 403 handler takes the exception.
        handler = get_resolver().resolve_error_handler(403)
        response = handler(request, exception=exception)  # type: ignore[call-arg]
        log_forbidden(request, response, str(exception))
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's own CSRF page, logged on the same one line as every other 403."""
    response = django_csrf_failure(request, reason=reason)
    log_forbidden(request, response, f"CSRF check failed: {reason}")
    return response


class DomainErrorMiddleware:
    """A domain rule that no view caught (``tutti.core.errors``) becomes a plain page with its
    message and status, instead of a server error. The API maps the same errors in config.api."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "core/domain_error.html",
            {"message": exception.message},
            status=exception.status,
        )

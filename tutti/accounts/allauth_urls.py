"""django-allauth's pages, each marked with who may use it, as every view of ours is.

allauth checks sign-in itself; the marks let the access matrix prove that no page was left
without a rule. Its URL names stay unnamespaced: allauth reverses them by these names.
"""

from collections.abc import Iterator
from functools import wraps
from typing import Any

import allauth.urls
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.urls.resolvers import RegexPattern

PUBLIC = "public"
SIGNED_IN = "signed_in"

# Pages open to anyone are those of signing in and of links sent by email; a person part-way
# through signing in (before their two-factor code) is not signed in yet.
ACCESS = {
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "mfa_authenticate": PUBLIC,
    "account_reauthenticate": SIGNED_IN,
    "account_request_reauthentication_code": SIGNED_IN,
    "account_confirm_reauthentication_code": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "mfa_index": SIGNED_IN,
    "mfa_reauthenticate": SIGNED_IN,
    "mfa_activate_totp": SIGNED_IN,
    "mfa_deactivate_totp": SIGNED_IN,
    "mfa_view_recovery_codes": SIGNED_IN,
    "mfa_generate_recovery_codes": SIGNED_IN,
    "mfa_download_recovery_codes": SIGNED_IN,
    "usersessions_list": SIGNED_IN,
}


def _marked(view: Any, access: str) -> Any:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    wrapper.access = access  # type: ignore[attr-defined]
    return wrapper


def _flatten(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _flatten(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix, p


def _urlpatterns() -> list[URLPattern]:
    result = []
    for prefix, p in _flatten(allauth.urls.urlpatterns):
        if p.name not in ACCESS:
            # A new allauth page after an upgrade: decide who may use it before it is served.
            raise ImproperlyConfigured(f"Say who may use allauth's {p.name!r} in ACCESS.")
        view = _marked(p.callback, ACCESS[p.name])
        if isinstance(p.pattern, RegexPattern):
            if prefix:
                raise ImproperlyConfigured(f"allauth's {p.name!r} is a regex under {prefix!r}.")
            result.append(re_path(str(p.pattern), view, p.default_args, name=p.name))
        else:
            result.append(path(prefix + str(p.pattern), view, p.default_args, name=p.name))
    return result


urlpatterns = _urlpatterns()

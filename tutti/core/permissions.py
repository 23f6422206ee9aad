"""Access rules that belong to no hub: every view declares who may use it.

Hub pages use the decorators of ``tutti.tenancy.pages``; these two are for pages outside any
hub. Both mark the view with ``access`` so that the test suite can prove no view was left
without a rule.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase

# Any response: a page, a redirect, or a file streamed from storage (FileResponse).
View = Callable[..., HttpResponseBase]


def public_view(view: View) -> View:
    """Anyone may see this page; it belongs to no hub."""
    view.access = "public"  # type: ignore[attr-defined]
    return view


def login_required_view(view: View) -> View:
    """Any signed-in person; the view shows only their own data."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = "signed_in"  # type: ignore[attr-defined]
    return wrapper

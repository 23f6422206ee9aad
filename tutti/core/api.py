"""Shared pieces of the JSON API: who may call an operation, and the shape of its errors.

The rules are the web pages' rules (``tutti.core.permissions``), answered in JSON:

- Not signed in, on an operation that needs a role: 401.
- Signed in with no role in the hub: 404, as another hub's objects do not exist for them.
- A member whose role lacks the capability: 403.
- Admins and staff of a hub that requires two-factor sign-in, without it: 403.
"""

import inspect
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.errors import AuthenticationError
from pydantic import AfterValidator, AwareDatetime, ConfigDict, WithJsonSchema

from tutti.accounts.models import CAPABILITIES, Role
from tutti.accounts.two_factor import API_MESSAGE as TWO_FACTOR_NEEDED
from tutti.accounts.two_factor import two_factor_missing
from tutti.core.permissions import membership_for
from tutti.directory.models import Hub

View = Callable[..., Any]

NOT_SIGNED_IN = "Sign in to do this: this operation needs a role in the hub."


# Limits every operation states in its schema and enforces in the same words, so that a
# request the schema allows is never refused as malformed (422), and the other way round.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Dates outside these years are typing mistakes (and would overflow date arithmetic); the same
# years as the website's forms (events.forms.EARLIEST and LATEST).
FIRST_YEAR, LAST_YEAR = 2000, 2199
YEAR_PATTERN = r"2[01][0-9][0-9]"
DAY_PATTERN = rf"^{YEAR_PATTERN}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
LAST_PAGE = 100_000

Slug = Annotated[str, Field(min_length=1, max_length=160, pattern=SLUG_PATTERN)]
SlugFilter = Annotated[
    str, Field(max_length=160, pattern=r"^[-a-zA-Z0-9_]*$", description="A slug, or empty.")
]
PageNumber = Annotated[int, Field(ge=1, le=LAST_PAGE)]
DayFilter = Annotated[
    str,
    Field(
        max_length=10,
        pattern=rf"^$|{DAY_PATTERN}",
        description=f"YYYY-MM-DD, in {FIRST_YEAR} to {LAST_YEAR}; or empty.",
    ),
]


def _in_our_years(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Give a date between {FIRST_YEAR} and {LAST_YEAR}.")
    return value


Moment = Annotated[
    AwareDatetime,
    AfterValidator(_in_our_years),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": f"^{YEAR_PATTERN}-",
            "description": f"With its UTC offset, in {FIRST_YEAR} to {LAST_YEAR}.",
        }
    ),
]


class BodyIn(Schema):
    """A request body: only the fields it names. An unknown one is a 422 naming it, rather than
    silently ignored (a misspelt field would otherwise change nothing and answer 200)."""

    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


# The errors every operation can answer with, named once so the OpenAPI schema lists them.
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut, 422: ErrorOut}
# Reads that need a role: the write errors but for 409, as nothing changes.
STAFF_READ_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def field_errors(error: DjangoValidationError) -> list[FieldError]:
    if hasattr(error, "error_dict"):
        return [
            FieldError(field=None if name == "__all__" else name, message=message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [FieldError(message=message) for message in error.messages]


def invalid(field: str, message: str) -> DjangoValidationError:
    """A 400 for one field of the request body, raised by views before they call a service."""
    return DjangoValidationError({field: [message]})


def _roles_holding(capability: str) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels[role]) for role in Role.values if role in CAPABILITIES[capability])


def _access_note(capability: str | None, limit: str) -> str:
    if capability is None:
        return "**Who may use it:** anyone; no sign-in needed."
    note = (
        f"**Who may use it:** members of the hub whose role has `{capability}` "
        f"({_roles_holding(capability)}), signed in with a session (send the CSRF token). "
        "Not signed in: 401. No role in this hub: 404. A role without it: 403."
    )
    return f"{note} {limit}" if limit else note


def hub_operation(capability: str | None, *, limit: str = "") -> Callable[[View], View]:
    """Declare who may use an operation under ``/api/hubs/{hub_slug}/``, and check it first.

    ``capability=None`` makes the operation public. Otherwise only members whose role holds the
    capability get through; ``limit`` describes any object-level rule the view adds (a
    coordinator's own clusters). The rule is appended to the operation's OpenAPI description,
    sets ``request.hub`` and ``request.membership``, and marks the view with ``access``.
    """
    if capability is not None and capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, hub_slug: str, *args: Any, **kwargs: Any) -> Any:
            if capability is not None and getattr(request, "auth", None) is None:
                # Fails closed if the operation was declared without session auth, which is
                # also what checks the CSRF token.
                raise AuthenticationError(message=NOT_SIGNED_IN)
            hub = Hub.objects.filter(slug=hub_slug).first()
            if hub is None:
                raise Http404("No such hub.")
            membership = None
            if capability is not None:
                membership = membership_for(request.user, hub)
                if membership is None:
                    raise Http404("Not found in this hub.")
                if not membership.has_capability(capability):
                    raise PermissionDenied(f"Your role cannot do this ({capability}).")
                if two_factor_missing(user=request.user, hub=hub, membership=membership):
                    raise PermissionDenied(TWO_FACTOR_NEEDED)
            request.hub = hub  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, hub_slug, *args, **kwargs)

        summary = inspect.cleandoc(view.__doc__ or "")
        wrapper.__doc__ = f"{summary}\n\n{_access_note(capability, limit)}".strip()
        wrapper.access = capability or "public"  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public_operation(view: View) -> View:
    """Anyone may use this operation; it belongs to no hub."""
    summary = inspect.cleandoc(view.__doc__ or "")
    view.__doc__ = f"{summary}\n\n{_access_note(None, '')}".strip()
    view.access = "public"  # type: ignore[attr-defined]
    return view

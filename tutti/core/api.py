"""Shared pieces of the JSON API: who may call an operation, and the shape of its errors.

Operations under a hub declare who may use them with ``tutti.tenancy.api.hub_operation``;
those outside any hub with ``public_operation`` below.
"""

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, WithJsonSchema

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


PUBLIC_NOTE = "**Who may use it:** anyone; no sign-in needed."


def with_access_note(view: View, note: str) -> str:
    """The operation's description in the OpenAPI schema: its summary, then who may use it."""
    summary = inspect.cleandoc(view.__doc__ or "")
    return f"{summary}\n\n{note}".strip()


def public_operation(view: View) -> View:
    """Anyone may use this operation; it belongs to no hub."""
    view.__doc__ = with_access_note(view, PUBLIC_NOTE)
    view.access = "public"  # type: ignore[attr-defined]
    return view

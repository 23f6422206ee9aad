"""The JSON API: one NinjaAPI, each app adds its router. Docs at /api/docs.

Every error is JSON, ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``, whatever
raised it: a tenancy check, a model's ``full_clean()``, a service's rule, or bad input.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import PathView
from ninja.parser import Parser
from ninja.security import django_auth

from tutti.accounts.api import router as team_router
from tutti.clusters.api import router as clusters_router
from tutti.competitions.api import router as competitions_router
from tutti.core.api import NOT_SIGNED_IN, ErrorOut, FieldError, field_errors
from tutti.core.errors import DomainError
from tutti.core.text import (
    MULTI_LINE_PATTERN,
    SINGLE_LINE_PATTERN,
    describe,
    forbidden_character,
    multiline_names,
)
from tutti.directory.api import router as directory_router
from tutti.events.api import router as events_router
from tutti.loans.api import router as loans_router
from tutti.participation.api import router as participation_router
from tutti.programmes.api import router as programmes_router
from tutti.provision.api import router as provision_router
from tutti.transition.api import router as transition_router

logger = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"


class TextNotStorable(Exception):
    """Text with a character the text rule refuses (``tutti.core.text``), e.g. NUL."""

    def __init__(self, field: str | None, char: str) -> None:
        super().__init__(field)
        self.field = field
        self.char = char


def _reject_control(value: Any, path: str = "", *, multiline: bool = False) -> Any:
    """The value, unless a string in it (or a key) breaks the text rule; the error names where.

    In a body, a field that is multi-line on the pages (``description``) may hold line breaks.
    """
    if isinstance(value, str):
        char = forbidden_character(value, multiline=multiline)
        if char is not None:
            raise TextNotStorable(path or None, char)
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_control(key, path)
            where = f"{path}.{key}" if path else str(key)
            _reject_control(item, where, multiline=str(key) in multiline_names())
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _reject_control(item, f"{path}.{n}" if path else str(n), multiline=multiline)
    return value


class BodyNotObject(Exception):
    """A JSON body that is not an object: every operation's body is one, with named fields."""


def _require_object(value: Any) -> Any:
    # Without this, a list such as [null, null] reached PATCH operations as "no fields given"
    # and was answered 200, although the schema allows only an object.
    if not isinstance(value, dict):
        raise BodyNotObject
    return value


class TuttiParser(Parser):
    """JSON bodies and query strings, refusing control characters anywhere in them."""

    def parse_body(self, request: HttpRequest) -> Any:
        return _reject_control(_require_object(super().parse_body(request)))

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        # Nothing in a query string is multi-line.
        query = super().parse_querydict(data, list_fields, request)
        for key, item in query.items():
            _reject_control(key)
            _reject_control(item, str(key))
        return query


class TuttiAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        _state_text_rule(schema)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """Ninja's URLs, each view marked with who may use each method, so that the public
        page cache (tutti/core/page_cache.py) can serve public reads as it serves pages."""
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback.access_by_method = _access_by_method(pattern.callback)  # type: ignore[attr-defined]
        return patterns

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        # Anything else under /api/ answers in JSON too, not with the website's 404 page.
        return [*patterns, re_path(r"", unknown_path)], app_name, namespace


def _access_by_method(callback: Any) -> dict[str, str]:
    # Ninja's URL view closes over its PathView, which holds the operation for each method.
    views = [cell.cell_contents for cell in getattr(callback, "__closure__", None) or ()]
    access: dict[str, str] = {}
    for path_view in (view for view in views if isinstance(view, PathView)):
        for operation in path_view.operations:
            for method in operation.methods:
                access[method] = getattr(operation.view_func, "access", "")
    return access


def _state_text_rule(node: Any, name: str | None = None) -> None:
    """Give every free-text string in the schema the pattern of the control-character rule the
    parser applies (tutti/core/text.py), so that the schema allows exactly what the server does."""
    if isinstance(node, list):
        for item in node:
            _state_text_rule(item, name)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not {"pattern", "format", "enum"} & node.keys():
        multiline = name is not None and name in multiline_names()
        node["pattern"] = MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for field, field_schema in value.items():
                _state_text_rule(field_schema, field)
        else:
            _state_text_rule(value, name)


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a method a path does not have with a plain-text 405; say it in JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type") == JSON:
            return response
        allowed = response.get("Allow", "")
        json_response = error(api, request, 405, f"This path takes only {allowed}.")
        json_response["Allow"] = allowed
        return json_response

    return wrapper


api = TuttiAPI(
    parser=TuttiParser(),
    title="Tutti API",
    version="1",
    description=(
        "Read a hub's partner directory, musical clusters and What's On; hub staff can write "
        "to the directory, clusters and events, and coordinators and partner staff to their own "
        "clusters' and organisations' events. "
        "Writes use the website's session: sign in first and send the CSRF token in the "
        "X-CSRFToken header. Errors are JSON: "
        '`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.'
    ),
    urls_namespace="api",
    # Nothing from another host: Swagger UI comes from our static files because ninja is an
    # installed app (config/settings/base.py), and its badge from validator.swagger.io is off.
    docs=Swagger(settings={"validatorUrl": None}),
    # Every operation needs a signed-in session unless it says otherwise (auth=None).
    auth=django_auth,
)


def error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
) -> HttpResponse:
    body = ErrorOut(detail=detail, errors=errors or [])
    return api.create_response(request, body.model_dump(), status=status)


@csrf_exempt
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error(api, request, 404, "There is no such API path. See /api/docs.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(api, request, 404, str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(api, request, 403, str(exc) or "Your role cannot do this.")


@api.exception_handler(AuthenticationError)
def on_not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else NOT_SIGNED_IN
    return error(api, request, 401, message)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by ninja itself: a body that is not JSON (400), a failed CSRF check (403).
    if isinstance(exc.__cause__, TextNotStorable):
        return on_nul_character(request, exc.__cause__)
    if isinstance(exc.__cause__, BodyNotObject):
        return error(
            api,
            request,
            422,
            'The request body must be a JSON object, such as {"name": "..."}.',
            [FieldError(field=None, message="must be a JSON object")],
        )
    message = str(exc)
    if exc.status_code == 400 and message == "Cannot parse request body":
        message = "The request body is not valid JSON."
    return error(api, request, exc.status_code, message)


@api.exception_handler(DjangoValidationError)
def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = field_errors(exc)
    detail = " ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors)
    return error(api, request, 400, detail or "Invalid input.", errors)


@api.exception_handler(NinjaValidationError)
def on_unprocessable(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        FieldError(field=_field_name(e.get("loc", ())), message=str(e.get("msg", "")))
        for e in exc.errors
    ]
    detail = " ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors)
    return error(api, request, 422, detail or "Invalid input.", errors)


def _field_name(loc: Any) -> str | None:
    """``("body", "payload", "name")`` → ``"name"``; ``("query", "page")`` → ``"page"``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "query"}:
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def on_unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Reading the body can fail before any view runs, e.g. multipart without a boundary when
    # the CSRF check looks for a form token.
    return error(api, request, 400, "The request body could not be read; send JSON.")


@api.exception_handler(TextNotStorable)
def on_nul_character(request: HttpRequest, exc: TextNotStorable) -> HttpResponse:
    message = f"contains {describe(exc.char)}"
    detail = f"{exc.field}: {message}." if exc.field else f"The text {message}."
    return error(api, request, 422, detail, [FieldError(field=exc.field, message=message)])


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database cannot store that no check caught first: the request's fault.
    logger.warning("API request had data the database refused: %s", exc)
    return error(api, request, 400, "A value in the request cannot be stored; check its text.")


@api.exception_handler(DomainError)
def on_domain_rule(request: HttpRequest, exc: DomainError) -> HttpResponse:
    # Every app's rules, with the status each error class states (tutti.core.errors).
    return error(api, request, exc.status, exc.message)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Two requests racing past a service's check meet the database constraint instead.
    logger.warning("API request conflicted with a constraint: %s", exc)
    return error(api, request, 409, "This clashes with a change made at the same time; retry.")


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API request failed", exc_info=exc)
    return error(api, request, 500, "Something went wrong on our side.")


api.add_router("/hubs", directory_router)
api.add_router("/hubs", clusters_router)
api.add_router("/hubs", events_router)
api.add_router("/hubs", participation_router)
api.add_router("/hubs", provision_router)
api.add_router("/hubs", transition_router)
api.add_router("/hubs", competitions_router)
api.add_router("/hubs", loans_router)
api.add_router("/hubs", team_router)
api.add_router("/programmes", programmes_router)

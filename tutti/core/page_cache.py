"""Public pages served from the shared cache to visitors who are not signed in.

A What's On linked from a council's newsletter is read thousands of times between two changes,
so an anonymous visitor's public page is kept in Django's cache (the database in the embedded
default, Redis at scale: ``CACHE_URL``) and served without running the view.

**What is cached.** Only GET requests for views declared ``public`` (not a signed link), from a
visitor with no session and no pending messages (so certainly not signed in), answered 200
without setting a cookie or asking not to be stored. A booking form's CSRF token is replaced by
a placeholder when stored, and by the visitor's own token when served.

**When it changes.** Each hub has a version, and the site one more (for what every hub shows:
the national school register, categories). The key of a page holds the versions it was made
under, so a new version means a miss. Every model shown on public pages is registered with
``watch()`` by its app, naming the hub an instance belongs to; saving or deleting one sets a
new version for that hub, at once and again when the transaction commits (a reader between the
two may have stored the old data under the first new version). Versions are random, not
counters, so two writers can never leave a stale page under a version still in use. Writes that
bypass ``save()`` (``QuerySet.update``, ``bulk_create``) call ``bump_hub`` or ``bump_site``.

**What the visitor's browser is told.** ``Cache-Control: no-cache`` with an ``ETag``: browsers
and shared caches may keep the page but ask every time, and get a 304 while it is unchanged;
``Vary: Cookie``, as a signed-in person sees their name on the same URL.

**Compressed once.** A page of 1 KB or more with no booking token is stored gzipped only, and
served so to a client that accepts gzip (every browser and calendar client) or decompressed for
one that does not: a hub's calendar feed is half a megabyte and a fourteenth of that
compressed, and compressing on each request would cost more than the render it saves, as
reading both forms from the shared cache on each hit did. A page with a token is never
compressed, so no secret of the visitor's is ever in a compressed body (BREACH).
``Vary: Accept-Encoding`` and a weak ``ETag`` for the compressed form, as Django's
``GZipMiddleware`` does.
"""

import gzip
import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

logger = logging.getLogger("tutti.page_cache")

SITE = "*"
# A page of upcoming events changes when one starts even though no one wrote anything: a page
# is kept five minutes at most, and the day is part of its key.
TIMEOUT = 300
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"
CACHED_TYPES = ("text/html", "text/calendar", "application/json", "application/ld+json")
# What a stored page holds; a new format misses rather than misreads pages stored before it.
FORMAT = "3"
GZIP_FROM = 1024  # bytes: below this, compressing saves less than its headers
ACCEPTS_GZIP = re.compile(r"\bgzip\b")

HubOf = Callable[[Any], int | None]


def _version_key(scope: str | int) -> str:
    return f"tutti:pages:v:{scope}"


def versions(hub_id: int | None) -> tuple[str, str]:
    """The current versions of the site and of the hub, creating any that are missing."""
    keys = [_version_key(SITE), _version_key(hub_id if hub_id is not None else SITE)]
    found = cache.get_many(keys)
    result = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = uuid.uuid4().hex
            # add(): two first visitors agree on one version; if the add lost, read the winner.
            if not cache.add(key, value, timeout=None):
                value = cache.get(key) or value
        result.append(value)
    return result[0], result[1]


def _bump(scope: str | int) -> None:
    try:
        cache.set(_version_key(scope), uuid.uuid4().hex, timeout=None)
    except Exception:
        # The write stands; its pages may show the old data until they expire (TIMEOUT).
        logger.exception("The page cache cannot be told of a change to %s", scope)


def bump_hub(hub_id: int | None) -> None:
    """The hub's public pages have changed (None: something every hub shows has)."""
    scope: str | int = SITE if hub_id is None else hub_id
    _bump(scope)
    transaction.on_commit(lambda: _bump(scope))


def bump_site() -> None:
    bump_hub(None)


# --- What changes a hub's pages: registered by each app in its AppConfig.ready().


@dataclass(frozen=True)
class _Watched:
    hub_of: HubOf


_watched: dict[type[Model], _Watched] = {}


def watch(model: type[Model], hub_of: HubOf | None = None) -> None:
    """Saving or deleting a ``model`` changes the public pages of the hub ``hub_of`` names
    (its ``hub_id`` when not given; every hub when it returns None)."""
    _watched[model] = _Watched(hub_of or (lambda instance: instance.hub_id))
    uid = f"tutti.page_cache.{model._meta.label}"
    post_save.connect(_on_change, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}.m2m")


def _on_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    if sender._meta.label == HUB_MODEL:
        forget_hub_slugs()
    bump_hub(_hub_of(sender, instance))


def _on_m2m(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and type(instance) in _watched:
        bump_hub(_hub_of(type(instance), instance))


def _hub_of(model: type[Model], instance: Model) -> int | None:
    try:
        return _watched[model].hub_of(instance)
    except ObjectDoesNotExist:
        # Its parent went first (a cascade): every hub's pages, rather than a failed write.
        return None


# --- Serving


def exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """This public view is never served from the page cache (the health check)."""
    view.page_cache_exempt = True  # type: ignore[attr-defined]
    return view


def _anonymous_without_state(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _page_key(request: HttpRequest, hub_slug: str | None, versions: tuple[str, ...]) -> str:
    # The address it was asked at too: a page's own links use it (tutti.core.urls).
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = "|".join([FORMAT, *versions, str(timezone.localdate()), hub_slug or "", where])
    return "tutti:pages:p:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


class PublicPageCacheMiddleware:
    """Serves and stores anonymous public pages (see the module's docstring). Placed after the
    authentication and CSRF middleware, so that a hit still gets every header they add."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and not getattr(request, "_page_cache_hit", False):
            self._store(request, response, key)
        if key is not None:
            response.headers.setdefault("Cache-Control", "no-cache")
            patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not self._cacheable_request(request, view_func, view_kwargs):
            return None
        hub_slug = view_kwargs.get("hub_slug")
        try:
            hub_id = hub_id_for_slug(hub_slug) if hub_slug else None
            key = _page_key(request, hub_slug, versions(hub_id))
            stored = cache.get(key)
        except Exception:  # a cache that cannot be reached must not take the site down
            logger.exception("The page cache cannot be read; serving without it")
            return None
        request._page_cache_key = key  # type: ignore[attr-defined]
        if stored is None:
            return None
        request._page_cache_hit = True  # type: ignore[attr-defined]
        content_type, etag, content, compressed = stored
        gzipped = compressed is not None and ACCEPTS_GZIP.search(
            request.headers.get("Accept-Encoding", "")
        )
        if content is None and not gzipped:
            content = gzip.decompress(compressed)
        if gzipped and not etag.startswith("W/"):
            etag = f"W/{etag}"
        # A weak comparison, as RFC 9110 asks of If-None-Match: either form of the page.
        asked = {
            tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))
        }
        if etag.removeprefix("W/") in asked:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            return not_modified
        if gzipped:
            response = HttpResponse(compressed, content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            if CSRF_PLACEHOLDER in content:
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag
        return response

    @staticmethod
    def _cacheable_request(
        request: HttpRequest, view_func: Callable[..., HttpResponse], view_kwargs: dict[str, Any]
    ) -> bool:
        # A page declares its access; an API URL, its access for each method (config.api).
        access = getattr(view_func, "access_by_method", {}).get(request.method)
        return (
            settings.PUBLIC_PAGE_CACHE
            and request.method == "GET"
            and (access or getattr(view_func, "access", None)) == "public"
            and not getattr(view_func, "page_cache_exempt", False)
            and "token" not in view_kwargs
            and _anonymous_without_state(request)
        )

    @staticmethod
    def _store(request: HttpRequest, response: HttpResponse, key: str) -> None:
        session = getattr(request, "session", None)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or (session is not None and session.modified)
            or "no-store" in response.get("Cache-Control", "")
            or "private" in response.get("Cache-Control", "")
            or not content_type.startswith(CACHED_TYPES)
        ):
            return
        content, tokens = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
        etag = response.get("ETag") or _etag(content)
        response["ETag"] = etag
        # mtime=0: the same page compresses to the same bytes.
        compressed = (
            gzip.compress(content, compresslevel=6, mtime=0)
            if not tokens
            and len(content) >= GZIP_FROM
            and not response.has_header("Content-Encoding")
            else None
        )
        try:
            stored = (content_type, etag, None if compressed else content, compressed)
            cache.set(key, stored, timeout=TIMEOUT)
        except Exception:
            logger.exception("The page cache cannot be written; the page was served without it")


HUB_MODEL = "directory.Hub"
_slug_ids: dict[str, int] = {}


def forget_hub_slugs() -> None:
    _slug_ids.clear()


def hub_id_for_slug(slug: str) -> int | None:
    """The hub's id, remembered by this process: a hub's slug never changes once made."""
    if slug not in _slug_ids:
        from django.apps import apps

        found = (
            apps.get_model(HUB_MODEL).objects.filter(slug=slug).values_list("pk", flat=True).first()
        )
        if found is None:
            return None  # an unknown hub: do not remember, it may be created later
        _slug_ids[slug] = found
    return _slug_ids[slug]

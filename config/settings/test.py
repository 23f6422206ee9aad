"""Tests: fast hashing, mail kept in memory."""

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

PUBLIC_PAGE_CACHE = False

# Each test process keeps its own cache in memory; with CACHE_URL (CI sets a Redis one) the
# tests use the real shared cache instead.
_cache_url = env("CACHE_URL")
if not _cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Parallel test processes sharing one Redis each take a database of their own (gw0 the
    # first), as a test empties the cache before it starts.
    _worker = (env("PYTEST_XDIST_WORKER") or "gw-1").removeprefix("gw")
    CACHES["default"]["LOCATION"] = f"{_cache_url.rstrip('/')}/{int(_worker) + 2}"

"""Production: every secret from the environment; missing ones stop start-up."""

from .base import *  # noqa: F403
from .base import env, env_bool, require_secret_key, require_site_url

DEBUG = False
require_secret_key()
require_site_url()

# Tasks (booking emails) wait in the database until a worker runs them: `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Browsers keep to HTTPS for a year once they have seen the site. Only an explicit
# SECURE_HSTS_SECONDS=0 turns it off (say, while HTTPS is first being set up).
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS") or 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True

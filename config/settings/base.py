"""Settings shared by every environment. Deployment differences come from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY") or env("DJANGO_SECRET_KEY") or ""
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Serves the API docs' Swagger UI from our static files instead of a CDN.
    "ninja",
    # Django's task API (a backport of django.tasks) and its PostgreSQL/SQLite-backed queue.
    "django_tasks",
    "django_tasks_db",
    # Mail providers' tracking webhooks (bounces, complaints) for newsletters.
    "anymail",
    "tutti.core",
    "tutti.accounts",
    # Sign-in, password reset, email change, two-factor and sessions: a well-kept library rather
    # than hand-written flows. After tutti.accounts so that our templates win over its own.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "tutti.directory",
    "tutti.clusters",
    "tutti.events",
    "tutti.provision",
    "tutti.participation",
    "tutti.transition",
    "tutti.newsletters",
    "tutti.loans",
    "tutti.programmes",
    "tutti.competitions",
    "tutti.cpd",
    "tutti.privacy",
    "tutti.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security headers, then the one-line log of every 403 (config below, "Security headers").
    "csp.middleware.CSPMiddleware",
    "tutti.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After sessions, authentication and CSRF: it serves anonymous public pages from the cache
    # (tutti/core/page_cache.py), and a hit still passes back through every middleware above.
    "tutti.core.page_cache.PublicPageCacheMiddleware",
    "tutti.core.middleware.DomainErrorMiddleware",
]


def caches_from_env() -> dict[str, dict[str, str]]:
    """The shared cache: anonymous public pages, sign-in rate limits and used two-factor codes
    live there, so every app server must share it. Redis when ``CACHE_URL`` names one (at
    scale), else a table in the database, which needs nothing installed
    (`manage.py createcachetable` once per release; `make run` does it)."""
    url = env("CACHE_URL", "") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tutti_cache",
        }
    }


CACHES = caches_from_env()
# Anonymous public pages from the cache (tutti/core/page_cache.py). Off in the tests but for
# the cache's own (tests/test_page_cache.py), so that the others see every view render.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tutti.core.context_processors.hub",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'tutti.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the development server read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:my-hubs"
LOGOUT_REDIRECT_URL = "core:home"
AUTHENTICATION_BACKENDS = [
    # Django admin and force_login in tests; allauth's adds rate limits on sign-in.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-allauth. People sign in with their email address. Accounts come from hub admins
# (invitations) and Django admin, never from open sign-up: every account can see something of
# a hub, and the people in it are known.
ACCOUNT_ADAPTER = "tutti.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "tutti.accounts.adapter.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
# Accounts made before allauth have no verified address on record, and must still sign in;
# a new address is used only once its owner has followed the link sent to it.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_FORMS = {
    "login": "tutti.accounts.allauth_forms.LoginForm",
    "reset_password": "tutti.accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "tutti.accounts.allauth_forms.ResetPasswordKeyForm",
    "change_password": "tutti.accounts.allauth_forms.ChangePasswordForm",
    "reauthenticate": "tutti.accounts.allauth_forms.ReauthenticateForm",
    "add_email": "tutti.accounts.allauth_forms.ChangeEmailForm",
}
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Tutti: "
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = False
# Five wrong passwords per account in five minutes, then a pause. Per address, a looser limit:
# a school's staff share one.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "reset_password": "20/5m/ip,5/5m/key",
    "reset_password_from_key": "20/5m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tutti"
MFA_FORMS = {
    "authenticate": "tutti.accounts.allauth_forms.AuthenticateForm",
    "reauthenticate": "tutti.accounts.allauth_forms.MFAReauthenticateForm",
    "activate_totp": "tutti.accounts.allauth_forms.ActivateTOTPForm",
}
# Accounts are made by hub admins for known people, so an address not yet verified is no sign
# of a stranger; refusing them two-factor would lock staff of a hub that requires it out.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Tracking every request would add a write to every page; sign-ins are tracked anyway.
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# Tutti is written in British English and translated into nothing; without the translation
# machinery every string a page shows skips a per-thread lookup of the active language (a
# twentieth of What's On's server time). Dates and numbers still follow en-gb's formats.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (hubs' logos) through Django's storage API; every app server must see the same
# folder (a shared volume), or set another storage backend in STORAGES["default"].
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded register files can be the whole national file (about 2 MB), or a full GIAS extract.
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tutti <no-reply@tutti.example.org>")

# Newsletters (tutti/newsletters). Any ANYMAIL_<NAME> variable sets anymail's <NAME>: the
# webhook secret (ANYMAIL_WEBHOOK_SECRET, "user:password" in the provider's webhook URL) or a
# provider's signing key (ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY...). To send through a provider's
# API instead of SMTP, set EMAIL_BACKEND to its anymail backend, e.g.
# anymail.backends.mailgun.EmailBackend, with its ANYMAIL_<PROVIDER>_API_KEY.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}
# At most this many newsletter messages a minute per hub, across workers (0: no limit).
NEWSLETTERS_MAX_PER_MINUTE = int(env("NEWSLETTERS_MAX_PER_MINUTE", "6000") or 0)
# The mailto: of each newsletter's List-Unsubscribe header; by default unsubscribe@ the
# domain of DEFAULT_FROM_EMAIL.
NEWSLETTERS_UNSUBSCRIBE_EMAIL = env("NEWSLETTERS_UNSUBSCRIBE_EMAIL", "")

# Emails and other slow work leave the request as tasks. Here they run at once, in the process
# that enqueued them; production stores them in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The address of the site, for links in emails sent outside any request (no trailing slash).
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Security headers. Every script is a file of ours: no inline <script>, no on*= handlers, no
# eval. Only style attributes may be inline (the impact and gap map bars take their widths
# from the data); style elements and style sheets come from our static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        # Swagger UI draws its icons as data: images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Tutti needs none of these powerful features; a script injected anyway cannot ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# A 403 from Django's CSRF check is logged on one line like every other (core/middleware.py).
CSRF_FAILURE_VIEW = "tutti.core.middleware.csrf_failure"

# Django's own check (security.W009) asks for at least 50 characters.
SECRET_KEY_MIN_LENGTH = 50


def require_secret_key() -> None:
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (a long random string).")
    make_one = 'Make one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too short: it has {len(SECRET_KEY)} characters and needs at least "
            f"{SECRET_KEY_MIN_LENGTH}. {make_one}"
        )
    if len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"SECRET_KEY is not a random string. {make_one}")


def require_site_url() -> None:
    if not env("SITE_URL"):
        raise ImproperlyConfigured(
            "Set SITE_URL in the environment (e.g. https://tutti.example.org): emails link to it."
        )

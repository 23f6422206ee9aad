"""Development: `make run`. Safe defaults so a fresh clone starts with no configuration."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

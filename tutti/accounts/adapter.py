"""Tutti's settings for django-allauth: closed sign-up, and messages in plain English."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


def _wait(seconds: float) -> str:
    seconds = round(seconds)
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def sign_in_pause() -> str:
    """How long sign-in to an account stays paused after too many wrong passwords."""
    rates = parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
    per_account = [rate.duration for rate in rates if rate.per == "key"]
    return _wait(max(per_account or [rate.duration for rate in rates] or [300]))


class AccountAdapter(DefaultAccountAdapter):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        # Built per request so that a test's shorter window shows in the message.
        self.error_messages: dict[str, str] = {
            **self.error_messages,
            "too_many_login_attempts": (
                "Too many wrong passwords. To keep the account safe, signing in is paused: "
                f"try again in {sign_in_pause()}, or reset your password."
            ),
            "email_password_mismatch": "The email address or password is not right.",
            "email_taken": "That email address is already used by another account.",
            "invalid_password_reset": (
                "This link to reset your password has expired or has already been used."
            ),
            "rate_limited": "Too many requests in a short time. Wait a few minutes and try again.",
            "same_as_current": "That is already your email address.",
        }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Hub admins invite the people who need accounts.
        return False


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "That code is not right, or has been used already. "
            "Enter the 6-digit code your app shows now, or one of your recovery codes."
        ),
    }

"""Changes to how a person signs in go in the audit log, as every other change does.

allauth makes these changes in its own views; its signals are the one place to hear of them.
"""

from enum import StrEnum
from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator

from tutti.core.audit import audit


class AccountAction(StrEnum):
    PASSWORD_CHANGED = "accounts.password.changed"  # noqa: S105 - an action name
    PASSWORD_RESET = "accounts.password.reset"  # noqa: S105 - an action name
    EMAIL_CHANGED = "accounts.email.changed"
    TWO_FACTOR_ON = "accounts.two_factor.turned_on"
    TWO_FACTOR_OFF = "accounts.two_factor.turned_off"
    RECOVERY_CODES_MADE = "accounts.recovery_codes.made"


def _password_changed(sender: Any, *, user: Any, **kwargs: Any) -> None:
    audit(AccountAction.PASSWORD_CHANGED, actor=user, obj=user)


def _password_reset(sender: Any, *, user: Any, **kwargs: Any) -> None:
    audit(AccountAction.PASSWORD_RESET, actor=user, obj=user)


def _email_changed(
    sender: Any, *, user: Any, from_email_address: Any, to_email_address: Any, **kwargs: Any
) -> None:
    audit(
        AccountAction.EMAIL_CHANGED,
        actor=user,
        obj=user,
        old=from_email_address.email if from_email_address else "",
        new=to_email_address.email,
    )


def _authenticator_added(sender: Any, *, user: Any, authenticator: Any, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        audit(AccountAction.TWO_FACTOR_ON, actor=user, obj=user)


def _authenticator_removed(sender: Any, *, user: Any, authenticator: Any, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        audit(AccountAction.TWO_FACTOR_OFF, actor=user, obj=user)


def _authenticator_reset(sender: Any, *, user: Any, authenticator: Any, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        audit(AccountAction.RECOVERY_CODES_MADE, actor=user, obj=user)


def connect() -> None:
    account_signals.password_changed.connect(_password_changed, dispatch_uid="tutti-audit-pw")
    account_signals.password_reset.connect(_password_reset, dispatch_uid="tutti-audit-reset")
    account_signals.email_changed.connect(_email_changed, dispatch_uid="tutti-audit-email")
    mfa_signals.authenticator_added.connect(_authenticator_added, dispatch_uid="tutti-audit-2fa+")
    mfa_signals.authenticator_removed.connect(
        _authenticator_removed, dispatch_uid="tutti-audit-2fa-"
    )
    mfa_signals.authenticator_reset.connect(_authenticator_reset, dispatch_uid="tutti-audit-rc")

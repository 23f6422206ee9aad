"""The signed links of newsletters: confirm a sign-up, change lists, leave a list.

Each stands in for signing in, for one person and one thing. A confirmation link lasts a week;
the links in an issue last two years, so an old issue's unsubscribe link still works.
"""

from datetime import timedelta
from typing import Any

from tutti.core.links import read_signed, sign

CONFIRM_SALT = "newsletters.confirm"
PREFERENCES_SALT = "newsletters.preferences"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
CONFIRM_DAYS = 7
LINK_DAYS = 730

BROKEN = "This link is incomplete or has been changed. Copy the whole link from the email."


def confirmation_token(confirmation_id: int) -> str:
    return sign({"c": confirmation_id}, salt=CONFIRM_SALT)


def read_confirmation(token: str) -> int:
    value = read_signed(
        token,
        salt=CONFIRM_SALT,
        max_age=timedelta(days=CONFIRM_DAYS),
        expired=(
            f"This confirmation link has expired: they last {CONFIRM_DAYS} days. "
            "Sign up again and we will send you a new one."
        ),
        broken=BROKEN,
    )
    return _int(value, "c")


def preferences_token(subscriber_id: int) -> str:
    return sign({"p": subscriber_id}, salt=PREFERENCES_SALT)


def read_preferences(token: str) -> int:
    value = read_signed(
        token,
        salt=PREFERENCES_SALT,
        max_age=timedelta(days=LINK_DAYS),
        expired="This link has expired. Use the link in a newer email from us.",
        broken=BROKEN,
    )
    return _int(value, "p")


def unsubscribe_token(subscription_id: int, issue_id: int | None) -> str:
    return sign({"s": subscription_id, "i": issue_id}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe(token: str) -> tuple[int, int | None]:
    value = read_signed(
        token,
        salt=UNSUBSCRIBE_SALT,
        max_age=timedelta(days=LINK_DAYS),
        expired="This link has expired. Use the link in a newer email from us.",
        broken=BROKEN,
    )
    issue = value.get("i") if isinstance(value, dict) else None
    return _int(value, "s"), issue if isinstance(issue, int) else None


def _int(value: Any, key: str) -> int:
    from tutti.core.links import LinkProblem

    found = value.get(key) if isinstance(value, dict) else None
    if not isinstance(found, int):
        raise LinkProblem(BROKEN, 400)
    return found

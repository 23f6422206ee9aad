"""Signed links: a token in a URL that stands in for an account, for one thing, for a while.

The token is signed with the site's secret key, so it cannot be guessed or altered, and it
stops working after its ``max_age`` so an old email cannot be reused for ever.
"""

from datetime import timedelta
from typing import Any

from django.core import signing


class LinkProblem(Exception):
    """Why a link cannot be used, in words for the person who followed it, and the page's
    status: 410 when it has expired, 400 when it is incomplete or altered."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def sign(value: Any, *, salt: str) -> str:
    return signing.dumps(value, salt=salt)


def read_signed(token: str, *, salt: str, max_age: timedelta, expired: str, broken: str) -> Any:
    """The value inside a token; LinkProblem with ``expired`` or ``broken`` when unusable."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkProblem(expired, 410) from error
    except signing.BadSignature as error:
        raise LinkProblem(broken, 400) from error

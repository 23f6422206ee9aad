"""Signed links: a token in a URL that stands in for an account, for one thing, for a while.

The token is signed with the site's secret key, so it cannot be guessed or altered, and it
stops working after its ``max_age`` so an old email cannot be reused for ever. A token also
carries a version: staff can replace a link that went to the wrong person, and every token of
an older version stops working at once.
"""

from datetime import timedelta
from typing import Any

from django.core import signing

from tutti.core.errors import DomainError


class LinkProblem(DomainError):
    """Why a link cannot be used, in words for the person who followed it, and the page's
    status: 410 when it has expired or been replaced, 400 when it is incomplete or altered."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message, status=status)


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


def check_version(given: int, current: int, *, replaced: str) -> None:
    """LinkProblem (410) with ``replaced`` unless the token is of the current version."""
    if given != current:
        raise LinkProblem(replaced, 410)

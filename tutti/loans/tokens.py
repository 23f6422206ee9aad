"""The signed link a family or school follows: to see a request and accept the agreement.

A link names the hub and either the pupil's request or a school's batch of loans, signed with
the site's secret key; it cannot be guessed or altered, and it stops working after a year.
"""

from dataclasses import dataclass
from datetime import timedelta

from tutti.core.links import LinkProblem, read_signed, sign

__all__ = ["LinkProblem", "follow_token", "read_follow_token"]

SALT = "tutti.loans.follow"
MAX_AGE = timedelta(days=400)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the email "
    "again, or ask the music hub's instrument library to send it again."
)


@dataclass(frozen=True)
class FollowLink:
    hub_id: int
    what: str  # "request" or "batch"
    key: str


def follow_token(*, hub_id: int, what: str, key: int | str) -> str:
    return sign([hub_id, what, str(key)], salt=SALT)


def read_follow_token(token: str) -> FollowLink:
    value = read_signed(
        token,
        salt=SALT,
        max_age=MAX_AGE,
        expired="This link has expired. Ask the music hub's instrument library for a new one.",
        broken=BROKEN,
    )
    try:
        hub_id, what, key = value
    except (ValueError, TypeError) as error:
        raise LinkProblem(BROKEN, 400) from error
    if what not in ("request", "batch"):
        raise LinkProblem(BROKEN, 400)
    return FollowLink(hub_id=int(hub_id), what=what, key=str(key))

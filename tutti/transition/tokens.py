"""The signed link a family uses to fill in, send, follow and withdraw a passport.

The token names the hub, the passport and its link version, signed with the site's secret key:
it cannot be guessed or altered. It lasts until the passport's data is deleted at the latest
(the end of Year 7), and stops working once the passport is withdrawn or deleted.
"""

from dataclasses import dataclass
from datetime import timedelta

from tutti.core.links import LinkProblem, check_version, read_signed, sign

__all__ = ["LinkProblem", "PassportLink", "passport_link_check", "passport_link_read"]

SALT = "tutti.transition.passport-link"
# From the spring of Year 6 to the end of Year 7.
MAX_AGE = timedelta(days=900)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the email "
    "again, or start a new passport."
)
REPLACED = "This link has been replaced by a newer one. Use the newest link we emailed you."


@dataclass(frozen=True)
class PassportLink:
    hub_id: int
    passport_id: int
    version: int


def passport_token(*, hub_id: int, passport_id: int, version: int) -> str:
    return sign([hub_id, passport_id, version], salt=SALT)


def passport_link_read(token: str) -> PassportLink:
    value = read_signed(
        token,
        salt=SALT,
        max_age=MAX_AGE,
        expired="This link has expired: the passport it was for has been deleted.",
        broken=BROKEN,
    )
    try:
        hub_id, passport_id, version = value
        return PassportLink(hub_id=int(hub_id), passport_id=int(passport_id), version=int(version))
    except (ValueError, TypeError) as error:
        raise LinkProblem(BROKEN, 400) from error


def passport_link_check(link: PassportLink, *, current_version: int) -> None:
    check_version(link.version, current_version, replaced=REPLACED)

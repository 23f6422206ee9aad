"""The signed link a school uses to fill in its audit without an account.

The token names the hub, the school and the year, signed with the site's secret key: it cannot be
guessed or altered, and it stops working after ``MAX_AGE`` so an old email cannot be reused
for ever.
"""

from dataclasses import dataclass
from datetime import timedelta

from tutti.core.links import LinkProblem, read_signed, sign

__all__ = ["LinkProblem", "audit_link_read", "audit_token"]

SALT = "tutti.provision.audit-link"
MAX_AGE = timedelta(days=180)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the "
    "email again, or ask your music hub to send you a new one."
)


@dataclass(frozen=True)
class AuditLink:
    hub_id: int
    school_id: int
    year: int


def audit_token(*, hub_id: int, school_id: int, year: int) -> str:
    return sign([hub_id, school_id, year], salt=SALT)


def audit_link_read(token: str) -> AuditLink:
    """The link inside a token; LinkProblem (with the page's status) when it cannot be used."""
    value = read_signed(
        token,
        salt=SALT,
        max_age=MAX_AGE,
        expired="This link has expired. Ask your music hub to send you a new one: "
        "nothing your school saved before is lost.",
        broken=BROKEN,
    )
    try:
        hub_id, school_id, year = value
    except (ValueError, TypeError) as error:
        raise LinkProblem(BROKEN, 400) from error
    return AuditLink(hub_id=hub_id, school_id=school_id, year=year)

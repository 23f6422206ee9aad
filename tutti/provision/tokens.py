"""The signed link a school uses to fill in its audit without an account.

The token names the hub, the school and the year, signed with the site's secret key: it cannot be
guessed or altered, and it stops working after ``MAX_AGE`` so an old email cannot be reused
for ever, or as soon as staff replace it (``AuditLinkVersion``).
"""

from dataclasses import dataclass
from datetime import timedelta

from tutti.core.links import LinkProblem, check_version, read_signed, sign

__all__ = ["LinkProblem", "audit_link_check", "audit_link_read", "audit_token"]

SALT = "tutti.provision.audit-link"
MAX_AGE = timedelta(days=180)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the "
    "email again, or ask your music hub to send you a new one."
)


REPLACED = (
    "This link has been replaced by a new one. Use the newest link your music hub sent, or ask "
    "the hub for it: nothing your school saved before is lost."
)


@dataclass(frozen=True)
class AuditLink:
    hub_id: int
    school_id: int
    year: int
    version: int = 0


def audit_token(*, hub_id: int, school_id: int, year: int, version: int = 0) -> str:
    return sign([hub_id, school_id, year, version], salt=SALT)


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
        # Links sent before links had versions are of the first version.
        hub_id, school_id, year, version = value if len(value) == 4 else [*value, 0]
    except (ValueError, TypeError) as error:
        raise LinkProblem(BROKEN, 400) from error
    return AuditLink(hub_id=hub_id, school_id=school_id, year=year, version=version)


def audit_link_check(link: AuditLink, *, current_version: int) -> None:
    """LinkProblem (410) when staff have replaced this school's link since it was sent."""
    check_version(link.version, current_version, replaced=REPLACED)

"""The signed link a school uses to fill in its audit without an account.

The token names the hub, the school and the year, signed with the site's secret key: it cannot be
guessed or altered, and it stops working after ``MAX_AGE`` so an old email cannot be reused
for ever.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

SALT = "tutti.provision.audit-link"
MAX_AGE = timedelta(days=180)


@dataclass(frozen=True)
class AuditLink:
    hub_id: int
    school_id: int
    year: int


class LinkProblem(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def audit_token(*, hub_id: int, school_id: int, year: int) -> str:
    return signing.dumps([hub_id, school_id, year], salt=SALT)


def audit_link_read(token: str) -> AuditLink:
    """The link inside a token; LinkProblem (with the page's status) when it cannot be used."""
    try:
        hub_id, school_id, year = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkProblem(
            "This link has expired. Ask your music hub to send you a new one: "
            "nothing your school saved before is lost.",
            410,
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkProblem(
            "This link is not complete, or has been changed. Copy the whole link from the "
            "email again, or ask your music hub to send you a new one.",
            400,
        ) from error
    return AuditLink(hub_id=hub_id, school_id=school_id, year=year)

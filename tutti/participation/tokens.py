"""The signed link a partner uses to fill in its data return without an account.

The token names the hub and the return, signed with the site's secret key: it cannot be guessed
or altered, and it stops working after ``MAX_AGE`` so an old email cannot be reused for ever,
or as soon as staff replace it (``Submission.link_version``).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse

from tutti.core.links import LinkProblem, check_version, read_signed, sign
from tutti.directory.models import Hub

__all__ = [
    "LinkProblem",
    "return_link_check",
    "return_link_path",
    "return_link_read",
    "return_token",
]

SALT = "tutti.participation.return-link"
MAX_AGE = timedelta(days=180)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the "
    "email again, or ask the music hub for a new link."
)


REPLACED = (
    "This link has been replaced by a new one. Use the newest link the music hub sent you, "
    "or ask the hub for it: nothing you added to your return before is lost."
)


@dataclass(frozen=True)
class ReturnLink:
    hub_id: int
    submission_id: int
    version: int = 0


def return_token(*, hub_id: int, submission_id: int, version: int = 0) -> str:
    return sign([hub_id, submission_id, version], salt=SALT)


def return_link_path(*, hub: Hub, submission_id: int, version: int = 0) -> str:
    """The path of the return's page through its signed link: the token stands in for an
    account. ``version`` is the submission's ``link_version``."""
    token = return_token(hub_id=hub.pk, submission_id=submission_id, version=version)
    return reverse(
        "participation:return-link",
        kwargs={"hub_slug": hub.slug, "pk": submission_id, "token": token},
    )


def return_link_read(token: str) -> ReturnLink:
    """The link inside a token; LinkProblem (with the page's status) when it cannot be used."""
    value = read_signed(
        token,
        salt=SALT,
        max_age=MAX_AGE,
        expired="This link has expired. Ask the music hub for a new link: nothing you added "
        "to your return before is lost.",
        broken=BROKEN,
    )
    try:
        # Links sent before links had versions are of the first version.
        hub_id, submission_id, version = value if len(value) == 3 else [*value, 0]
    except (ValueError, TypeError) as error:
        raise LinkProblem(BROKEN, 400) from error
    return ReturnLink(hub_id=hub_id, submission_id=submission_id, version=version)


def return_link_check(link: ReturnLink, *, link_version: int) -> None:
    """LinkProblem (410) when staff have replaced this link since it was sent."""
    check_version(link.version, link_version, replaced=REPLACED)

"""Signed links: the family's link to their entry, and short-lived video addresses.

The family's link names the entry and its link version: staff can give a new one (the old one
then answers 410). A video address names the entry and a hash of the viewer's session key, and
lasts ``VIDEO_URL_LIFETIME``: copied to another browser, or used later, it does not work.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from tutti.core.links import LinkProblem, check_version, read_signed, sign

__all__ = ["LinkProblem", "entry_link_read", "entry_token", "video_token", "video_token_read"]

ENTRY_SALT = "tutti.competitions.entry-link"
VIDEO_SALT = "tutti.competitions.video"
ENTRY_LINK_MAX_AGE = timedelta(days=400)
VIDEO_URL_LIFETIME = timedelta(minutes=10)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the email "
    "again, or ask the music hub to send it again."
)


@dataclass(frozen=True)
class EntryLink:
    entry_id: int
    version: int


def entry_token(*, entry_id: int, version: int) -> str:
    return sign([entry_id, version], salt=ENTRY_SALT)


def entry_link_read(token: str) -> EntryLink:
    value = read_signed(
        token,
        salt=ENTRY_SALT,
        max_age=ENTRY_LINK_MAX_AGE,
        expired="This link has expired. Ask the music hub about your entry.",
        broken=BROKEN,
    )
    try:
        entry_id, version = value
        return EntryLink(entry_id=int(entry_id), version=int(version))
    except (TypeError, ValueError) as error:
        raise LinkProblem(BROKEN, 400) from error


def entry_link_check(link: EntryLink, *, current_version: int) -> None:
    check_version(
        link.version,
        current_version,
        replaced="This link has been replaced by a newer one. Use the newest email from the hub.",
    )


def session_fingerprint(session_key: str) -> str:
    # Only a hash goes in the address, so the session key never appears in a page or a log.
    return hashlib.sha256(f"video:{session_key}".encode()).hexdigest()[:32]


def video_token(*, entry_id: int, session_key: str) -> str:
    return sign([entry_id, session_fingerprint(session_key)], salt=VIDEO_SALT)


def video_token_read(token: str, *, session_key: str | None) -> int:
    """The entry of a video address made for this session in the last few minutes."""
    value = read_signed(
        token,
        salt=VIDEO_SALT,
        max_age=VIDEO_URL_LIFETIME,
        expired="This video address has expired. Go back to the page and play it again.",
        broken="This video address is not complete.",
    )
    try:
        entry_id, fingerprint = value
    except (TypeError, ValueError) as error:
        raise LinkProblem("This video address is not complete.", 400) from error
    if not session_key or fingerprint != session_fingerprint(session_key):
        raise LinkProblem("This video address was made for someone else's browser.", 403)
    return int(entry_id)

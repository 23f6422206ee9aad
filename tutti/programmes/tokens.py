"""The SENCo's signed link: it names the site and the link's version, lasts the programme, and
stops working at once when the programme team stops it or gives a new one."""

from datetime import timedelta

from tutti.core.links import LinkProblem, check_version, read_signed, sign

SALT = "tutti.programmes.senco-link"
# The programme's span is checked against its dates; this only bounds a token's life.
MAX_AGE = timedelta(days=3 * 366)
BROKEN = (
    "This link is not complete, or has been changed. Copy the whole link from the email "
    "again, or ask the programme's tutor for a new one."
)
REPLACED = (
    "This link has been replaced or stopped. Ask the programme's tutor for the newest link: "
    "nothing you saved before is lost."
)


def senco_token(*, site_id: int, version: int) -> str:
    return sign([site_id, version], salt=SALT)


def senco_link_read(token: str) -> tuple[int, int]:
    """(site id, version) inside a token; LinkProblem when it cannot be used."""
    value = read_signed(
        token,
        salt=SALT,
        max_age=MAX_AGE,
        expired="This link has expired. Ask the programme's tutor for a new one.",
        broken=BROKEN,
    )
    try:
        site_id, version = value
        return int(site_id), int(version)
    except (ValueError, TypeError) as error:
        raise LinkProblem(BROKEN, 400) from error


def senco_link_check(version: int, *, current: int, active: bool) -> None:
    if not active:
        raise LinkProblem(REPLACED, 410)
    check_version(version, current, replaced=REPLACED)

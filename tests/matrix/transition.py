"""Secondary transition's pages (tutti/transition) in the access matrix.

The world's secondary school is in the coordinator's cluster, so the coordinator may see its
picture and change its feeders; passports name children, so only hub staff (and the school's own
music lead, tested in tutti/transition/tests) open them.
"""

from tests.matrix_roles import ANY_MEMBER, PUBLIC, only
from tutti.transition.models import Passport, PassportStatus
from tutti.transition.tests.factories import (
    draft_passport,
    link_of,
    secondary_of,
    sent_passport,
)


def _draft_link(w) -> str:
    return link_of(draft_passport(w))


def _sent(w) -> Passport:
    return Passport.objects.filter(hub=w.hub, status=PassportStatus.SENT).first() or sent_passport(
        w
    )


def _school(w) -> str:
    return f"/wiltshire/manage/transition/{secondary_of(w).urn}/"


VIEWERS = only({"coordinator", "staff", "admin"})

MATRIX = {
    "transition:passport-start": (lambda w: "/wiltshire/transition/passport/", PUBLIC),
    # The signed link stands in for signing in: families have no accounts.
    "transition:passport": (_draft_link, PUBLIC),
    # A GET shows what will be sent and asks to confirm; sending takes a POST.
    "transition:passport-send": (lambda w: f"{_draft_link(w)}send/", PUBLIC),
    # A GET asks to confirm; withdrawing takes a POST.
    "transition:passport-withdraw": (lambda w: f"{_draft_link(w)}withdraw/", PUBLIC),
    # Coordinators see the schools of their clusters (two here, so the list, not a redirect).
    "transition-manage:home": (
        lambda w: secondary_of(w) and "/wiltshire/manage/transition/",
        VIEWERS,
    ),
    "transition-manage:school": (_school, VIEWERS),
    "transition-manage:feeders": (lambda w: f"{_school(w)}feeders/", VIEWERS),
    "transition-manage:passports": (lambda w: f"{_school(w)}passports/", only({"staff", "admin"})),
    "transition-manage:passport": (
        lambda w: f"{_school(w)}passports/{_sent(w).pk}/",
        only({"staff", "admin"}),
    ),
    "transition-manage:music-lead": (
        lambda w: f"{_school(w)}music-lead/",
        only({"staff", "admin"}),
    ),
}

assert set(ANY_MEMBER) == set(VIEWERS)

# The family's passport pages: anyone with the link may open them, no cache may keep them.
SIGNED_LINKS = {"transition:passport", "transition:passport-send", "transition:passport-withdraw"}

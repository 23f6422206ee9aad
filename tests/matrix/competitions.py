"""Competitions' pages in the access matrix (tests/test_access_matrix.py).

The plain person (no role in any hub) is an adjudicator of the competition: judging needs an
account, not a role. Families' pages work by their signed link, whoever holds it.
"""

from datetime import timedelta

from django.utils import timezone

from tests.matrix_roles import PUBLIC, ROLES, STAFF_ONLY
from tutti.competitions.emails import entry_link
from tutti.competitions.models import Competition, Entry
from tutti.competitions.services import token_hash
from tutti.competitions.tests.factories import (
    AdjudicatorFactory,
    CategoryFactory,
    CompetitionFactory,
    CriterionFactory,
    EntryFactory,
)
from tutti.competitions.tokens import video_token

ADJUDICATOR_TOKEN = "a-test-adjudicator-token"
SLUG = "wiltshire-young-musician"


def _competition(w) -> Competition:
    found = Competition.objects.filter(hub=w.hub, slug=SLUG).first()
    if found is not None:
        return found
    competition = CompetitionFactory(
        hub=w.hub, slug=SLUG, results_published_at=timezone.now() - timedelta(days=1)
    )
    strings = CategoryFactory(competition=competition, name="Strings")
    CriterionFactory(competition=competition, name="Technique")
    AdjudicatorFactory(competition=competition, user=w.users["plain"], categories=[strings])
    AdjudicatorFactory(
        competition=competition,
        email="invited-judge@example.org",
        user=None,
        accepted_at=None,
        token_hash=token_hash(ADJUDICATOR_TOKEN),
    )
    EntryFactory(category=strings, result="finalist")
    return competition


def _entry(w) -> Entry:
    return _competition(w).entries.get()


def _family(w) -> str:
    return entry_link(_entry(w))


def _accept_path(w) -> str:
    """A pending invitation to judge, for someone with no account yet."""
    _competition(w)
    return f"/wiltshire/competitions/adjudicators/{ADJUDICATOR_TOKEN}/"


# Judging needs a place on the panel: the plain person's; anyone else signed in gets 404.
ADJUDICATOR_ONLY = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "plain": 200}

MATRIX = {
    "competitions:list": (lambda w: "/wiltshire/competitions/", PUBLIC),
    "competitions:detail": (lambda w: f"/wiltshire/competitions/{_competition(w).slug}/", PUBLIC),
    "competitions:enter": (
        lambda w: f"/wiltshire/competitions/{_competition(w).slug}/enter/",
        PUBLIC,
    ),
    "competitions:results": (
        lambda w: f"/wiltshire/competitions/{_competition(w).slug}/results/",
        PUBLIC,
    ),
    # The family's signed link stands in for an account.
    "competitions:entry": (_family, PUBLIC),
    "competitions:entry-change": (lambda w: f"{_family(w)}change/", PUBLIC),
    "competitions:entry-withdraw": (lambda w: f"{_family(w)}withdraw/", PUBLIC),
    "competitions:entry-video": (lambda w: f"{_family(w)}video/", PUBLIC),
    "competitions:certificate": (lambda w: f"{_family(w)}certificate.pdf", PUBLIC),
    # A video address made for another session: refused to everyone here.
    "competitions:video": (
        lambda w: (
            f"/wiltshire/competitions/videos/"
            f"{video_token(entry_id=_entry(w).pk, session_key='someone-else')}/"
        ),
        dict.fromkeys(ROLES, 403),
    ),
    # The invitation's link stands in for an account: the invited person may have none yet.
    "competitions:adjudicator-accept": (
        lambda w: (
            f"/wiltshire/competitions/{_competition(w) and 'adjudicators'}/{ADJUDICATOR_TOKEN}/"
        ),
        PUBLIC,
    ),
    "competitions:judging": (
        lambda w: f"/wiltshire/competitions/{_competition(w).slug}/judging/",
        ADJUDICATOR_ONLY,
    ),
    "competitions:judge-entry": (
        lambda w: f"/wiltshire/competitions/{_competition(w).slug}/judging/{_entry(w).number}/",
        ADJUDICATOR_ONLY,
    ),
    # Declaring takes a POST; a GET goes back to the list.
    "competitions:declare-conflict": (
        lambda w: (
            f"/wiltshire/competitions/{_competition(w).slug}/judging/{_entry(w).number}/conflict/"
        ),
        ADJUDICATOR_ONLY | {"plain": 302},
    ),
    "competitions-manage:list": (lambda w: "/wiltshire/manage/competitions/", STAFF_ONLY),
    "competitions-manage:create": (lambda w: "/wiltshire/manage/competitions/new/", STAFF_ONLY),
    **{
        f"competitions-manage:{name}": (
            lambda w, suffix=suffix: (
                f"/wiltshire/manage/competitions/{_competition(w).pk}/{suffix}"
            ),
            STAFF_ONLY,
        )
        for name, suffix in [
            ("detail", ""),
            ("edit", "edit/"),
            ("categories", "categories/"),
            ("rubric", "rubric/"),
            ("adjudicators", "adjudicators/"),
            ("entries", "entries/"),
            ("scores", "scores/"),
            ("final", "final/"),
            ("publish", "publish/"),
        ]
    },
    "competitions-manage:adjudicator": (
        lambda w: (
            f"/wiltshire/manage/competitions/{_competition(w).pk}/adjudicators/"
            f"{_competition(w).adjudicators.first().pk}/"
        ),
        STAFF_ONLY,
    ),
    "competitions-manage:entry": (
        lambda w: f"/wiltshire/manage/competitions/{_competition(w).pk}/entries/{_entry(w).pk}/",
        STAFF_ONLY,
    ),
}

# A family's entry and an adjudicator's invitation open by their link's token: private to caches.
SIGNED_LINKS = {
    "competitions:adjudicator-accept",
    "competitions:certificate",
    "competitions:entry",
    "competitions:entry-change",
    "competitions:entry-video",
    "competitions:entry-withdraw",
}

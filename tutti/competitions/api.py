"""The competitions JSON API: read-only. Nothing about entrants: public facts about each
competition, and for staff the progress of judging."""

from datetime import date
from typing import Any

from django.http import Http404
from ninja import Field, P, Router, Schema
from ninja.params import PathEx

from tutti.competitions import selectors
from tutti.competitions.access import CAPABILITY
from tutti.core.api import READ_ERRORS, STAFF_READ_ERRORS
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import HubRequest, MemberRequest

router = Router(tags=["competitions"])


class CategoryOut(Schema):
    name: str
    min_age: int = Field(description="Youngest age on the competition's `age_on` date.")
    max_age: int


class CompetitionOut(Schema):
    slug: str
    name: str
    summary: str
    age_on: date = Field(description="The day entrants' ages are taken on.")
    opens_on: date
    closes_on: date
    results_published: bool
    categories: list[CategoryOut]


class AdjudicatorProgressOut(Schema):
    name: str
    accepted: bool
    to_judge: int
    judged: int
    conflicts: int


class CategoryProgressOut(Schema):
    category: str
    entries: int
    scores: int
    scores_due: int


class ProgressOut(Schema):
    adjudicators: list[AdjudicatorProgressOut]
    categories: list[CategoryProgressOut]


@router.get(
    "/{hub_slug}/competitions", response={200: list[CompetitionOut], **READ_ERRORS}, auth=None
)
@hub_operation(None)
def competition_list(request: HubRequest, hub_slug: str) -> Any:
    """The hub's competitions shown on its pages, latest first, with their categories."""
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "summary": c.summary,
            "age_on": c.age_on,
            "opens_on": c.opens_on,
            "closes_on": c.closes_on,
            "results_published": c.results_published_at is not None,
            "categories": [
                {"name": cat.name, "min_age": cat.min_age, "max_age": cat.max_age}
                for cat in c.categories.all()
            ],
        }
        for c in selectors.competitions_public(hub=request.hub).prefetch_related("categories")
    ]


@router.get(
    "/{hub_slug}/competitions/{competition}/progress",
    response={200: ProgressOut, **STAFF_READ_ERRORS},
)
@hub_operation(CAPABILITY)
def competition_progress(
    request: MemberRequest,
    hub_slug: str,
    competition: PathEx[int, P(description="Its id.", ge=1, le=2_147_483_647)],
) -> Any:
    """Judging progress per adjudicator and per category, as on the competition's staff page."""
    found = selectors.competition_by_pk(hub=request.hub, pk=competition)
    if found is None:
        raise Http404("No such competition in this hub.")
    return {
        "adjudicators": [
            {
                "name": p.adjudicator.name,
                "accepted": p.adjudicator.accepted_at is not None,
                "to_judge": p.to_judge,
                "judged": p.judged,
                "conflicts": p.conflicts,
            }
            for p in selectors.progress(competition=found)
        ],
        "categories": [
            {
                "category": str(p.category),
                "entries": p.entries,
                "scores": p.scores,
                "scores_due": p.scores_due,
            }
            for p in selectors.progress_by_category(competition=found)
        ],
    }

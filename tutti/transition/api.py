"""The transition JSON API: a secondary school's feeder primaries, and changing them.

The same rules as the pages (tutti/transition/access.py): hub staff any school, a coordinator
the schools of their clusters, a school music lead their own school; any other school is 404.
Nothing about children: passports are not in the API.
"""

from typing import Any, Literal

from ninja import Field, Router, Schema

from tutti.core.api import STAFF_READ_ERRORS, WRITE_ERRORS, BodyIn
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import MemberRequest
from tutti.transition import access, selectors, services

router = Router(tags=["transition"])

SCHOOL_LIMIT = (
    "Hub staff any secondary school of the hub; a cluster coordinator those of their clusters; "
    "a school music lead their own school. Any other school is 404."
)


class FeederOut(Schema):
    urn: int | None
    name: str
    town: str
    distance_km: float | None = Field(description="Straight-line distance from the secondary.")
    reasons: list[str] = Field(description="Why Tutti suggests it; empty when added by hand.")
    state: str = Field(description='"suggested", "confirmed" or "removed".')


class FeedersOut(Schema):
    secondary: str
    rule: str = Field(description="How the suggestion is made, in words.")
    feeders: list[FeederOut]


class FeederIn(BodyIn):
    state: Literal["confirmed", "removed"] = Field(
        description='"confirmed" to confirm or add the primary as a feeder, "removed" to remove it.'
    )


def _out(row: selectors.FeederRow) -> dict[str, Any]:
    return {
        "urn": row.primary.urn,
        "name": row.primary.name,
        "town": row.primary.town,
        "distance_km": round(row.distance_km, 2) if row.distance_km is not None else None,
        "reasons": row.reasons,
        "state": row.state,
    }


@router.get(
    "/{hub_slug}/transition/{urn}/feeders",
    response={200: FeedersOut, **STAFF_READ_ERRORS},
)
@hub_operation("can_view_transition", limit=SCHOOL_LIMIT)
def feeders_list(request: MemberRequest, hub_slug: str, urn: int) -> Any:
    """A secondary school's feeder primaries, nearest first: suggested, confirmed and removed."""
    secondary = access.secondary_for(request, urn)
    rows = selectors.feeder_rows(hub=request.hub, secondary=secondary)
    return {
        "secondary": secondary.name,
        "rule": selectors.suggestion_rule(hub=request.hub),
        "feeders": [_out(r) for r in rows],
    }


@router.put(
    "/{hub_slug}/transition/{urn}/feeders/{primary_urn}",
    response={200: FeederOut, **WRITE_ERRORS},
)
@hub_operation("can_view_transition", limit=SCHOOL_LIMIT)
def feeder_set(
    request: MemberRequest, hub_slug: str, urn: int, primary_urn: int, payload: FeederIn
) -> Any:
    """Confirm, add or remove a primary school (by its URN) as a feeder of the secondary. A
    school that is not an open primary school of the hub's area is refused (400)."""
    secondary = access.secondary_for(request, urn)
    primary = selectors.hub_school(hub=request.hub, urn=primary_urn)
    if primary is None:
        raise services.TransitionError(
            "There is no school with that URN in this hub's area.", status=404
        )
    services.feeder_set(
        hub=request.hub, secondary=secondary, primary=primary, state=payload.state, by=request.user
    )
    row = next(
        r
        for r in selectors.feeder_rows(hub=request.hub, secondary=secondary)
        if r.primary == primary
    )
    return _out(row)

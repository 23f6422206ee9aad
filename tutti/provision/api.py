"""The provision JSON API: each school's status per core role, and public counts.

Read-only. Nothing about people: no music lead, no audit link, only the register's facts about
each school and what the needs analysis makes of its audit and participation records.
"""

from typing import Any

from ninja import Field, Router, Schema

from tutti.core.api import READ_ERRORS, STAFF_READ_ERRORS, ErrorOut, invalid
from tutti.core.years import current_academic_year, year_label
from tutti.provision import selectors
from tutti.provision.models import CoreRole, Status
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import HubRequest, MemberRequest

router = Router(tags=["provision"])


class SchoolStatusOut(Schema):
    id: int
    name: str
    phase: str
    local_authority: str
    clusters: list[str]
    audit: str = Field(description='"complete", "started" or "not started".')
    statuses: dict[CoreRole, Status] = Field(
        description="Each core role's status; only the chosen role when ``role`` is given."
    )


class StatusesOut(Schema):
    year: str = Field(description='The school year, e.g. "2025/26".')
    schools: list[SchoolStatusOut]


class GroupCountsOut(Schema):
    name: str
    schools: int
    counts: dict[CoreRole, dict[Status, int]] = Field(
        description="Schools per status for each core role; every role and status is listed."
    )


class SummaryOut(Schema):
    year: str
    total: GroupCountsOut
    by_cluster: list[GroupCountsOut] = Field(
        description='A school in two clusters counts in both; "No cluster" comes last.'
    )
    by_local_authority: list[GroupCountsOut]


def _counts_out(group: selectors.GroupCounts) -> dict[str, Any]:
    return {
        "name": group.name,
        "schools": group.schools,
        "counts": {
            role: {status: group.count(role, status) for status in Status.values}
            for role in CoreRole.values
        },
    }


@router.get(
    "/{hub_slug}/provision/statuses",
    response={200: StatusesOut, **STAFF_READ_ERRORS},
)
@hub_operation("can_manage_provision")
def provision_statuses(
    request: MemberRequest,
    hub_slug: str,
    role: CoreRole | None = None,
    phase: str | None = None,
) -> Any:
    """Each open school in the hub's area with its status per core role this school year, as
    the gap map shows it. ``role`` gives only that role; ``phase`` only schools of that phase
    (a phase no school has is a 400, naming those there are)."""
    year = current_academic_year()
    rows = selectors.school_provision(hub=request.hub, year=year)
    if phase:
        phases = sorted({r.phase for r in rows})
        if phase not in phases:
            raise invalid("phase", f"No school has this phase. Choose one of: {', '.join(phases)}.")
        rows = [r for r in rows if r.phase == phase]
    progress = selectors.audit_progress(rows=rows)
    return {
        "year": year_label(year),
        "schools": [
            {
                "id": p.school.pk,
                "name": p.school.name,
                "phase": p.school.phase,
                "local_authority": p.school.local_authority,
                "clusters": p.school.clusters,
                "audit": p.state,
                "statuses": {
                    r: s for r, s in p.school.statuses.items() if role is None or r == role
                },
            }
            for p in progress
        ],
    }


@router.get(
    "/{hub_slug}/provision/summary",
    response={200: SummaryOut, 400: ErrorOut, **READ_ERRORS},
    auth=None,
)
@hub_operation(None)
def provision_summary(request: HubRequest, hub_slug: str) -> Any:
    """How many of the hub's schools have each status for each core role this school year: for
    the hub, per cluster and per local authority. Counts only, as on the public gap map."""
    hub = request.hub
    year = current_academic_year()
    rows = selectors.school_provision(hub=hub, year=year)
    return {
        "year": year_label(year),
        "total": _counts_out(selectors.group_counts(name=hub.name, rows=rows)),
        "by_cluster": [_counts_out(g) for g in selectors.provision_counts(rows=rows, by="cluster")],
        "by_local_authority": [
            _counts_out(g) for g in selectors.provision_counts(rows=rows, by="local_authority")
        ],
    }

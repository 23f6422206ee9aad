"""The instrument library's JSON API: find instruments by tag (as a scanner would), and the
dashboard's figures. Read-only; the same access rules as the pages (loans/access.py)."""

from decimal import Decimal
from typing import Any, Literal

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema

from tutti.core.api import STAFF_READ_ERRORS, PageNumber
from tutti.loans import access, selectors
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import MemberRequest

router = Router(tags=["instrument library"])
# Inline, not the models' enum: another app's schema has a component called Status already.
StatusName = Literal["available", "on_loan", "in_repair", "retired"]
PAGE_SIZE = 50


class InstrumentOut(Schema):
    id: int
    asset_tag: str
    type: str = Field(description="The type's key, e.g. violin (tutti/loans/kinds.py).")
    size: str
    owner: str
    location: str
    condition: str
    status: StatusName
    value: Decimal
    funding_source: str


class InstrumentPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[InstrumentOut]


class InstrumentFilterIn(Schema):
    tag: str = Field("", max_length=30, description="A whole asset tag, or its start, in any case.")
    status: StatusName | None = None
    page: PageNumber = 1


class WaitingOut(Schema):
    type: str
    size: str
    waiting: int
    oldest_days: int
    available: int


class DashboardOut(Schema):
    instruments: int
    by_status: dict[str, int]
    utilisation_percent: int
    overdue: int
    in_repair: int
    waiting: list[WaitingOut]
    value_on_loan: dict[str, Decimal] = Field(description="Pounds on loan by funding source.")


@router.get("/{hub_slug}/instruments", response={200: InstrumentPageOut, **STAFF_READ_ERRORS})
@hub_operation("can_keep_instruments")
def instrument_list(
    request: MemberRequest, hub_slug: str, filters: Query[InstrumentFilterIn]
) -> Any:
    """The store's instruments, 50 a page, by asset tag; partner staff get only those their
    own organisations own."""
    found = selectors.instrument_list(
        hub=request.hub,
        owners=access.store_owners(request.membership),
        query=filters.tag,
        status=filters.status or "",
    )
    page = Paginator(found, PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {
                "id": i.pk,
                "asset_tag": i.asset_tag,
                "type": i.kind,
                "size": i.size,
                "owner": i.owner.name,
                "location": i.location,
                "condition": i.condition,
                "status": i.status,
                "value": i.value,
                "funding_source": i.funding_source,
            }
            for i in page.object_list
        ],
    }


@router.get("/{hub_slug}/loans/dashboard", response={200: DashboardOut, **STAFF_READ_ERRORS})
@hub_operation("can_manage_loans")
def dashboard(request: MemberRequest, hub_slug: str) -> Any:
    """Stock, waiting lists, utilisation and the value on loan: the dashboard's figures."""
    data = selectors.dashboard(hub=request.hub)
    return {
        "instruments": data.total,
        "by_status": data.by_status,
        "utilisation_percent": data.utilisation,
        "overdue": data.overdue,
        "in_repair": data.repairs,
        "waiting": [
            {
                "type": line.kind,
                "size": line.size,
                "waiting": line.waiting,
                "oldest_days": line.days_waited,
                "available": line.available,
            }
            for line in data.demand
        ],
        "value_on_loan": {source: value for source, value, _ in data.value_by_source},
    }

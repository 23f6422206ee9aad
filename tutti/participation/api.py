"""The participation JSON API: a hub's impact figures (public, as published) and the records
behind them (hub staff)."""

from enum import StrEnum
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from tutti.core.api import READ_ERRORS, STAFF_READ_ERRORS, WRITE_ERRORS
from tutti.core.audit import ReadAction, audit_read
from tutti.core.years import year_label
from tutti.participation import publishing, selectors, services
from tutti.participation.access import may_see_draft_figures
from tutti.participation.impact import impact_page
from tutti.participation.kinds import KINDS
from tutti.tenancy.api import hub_operation
from tutti.tenancy.pages import membership_for
from tutti.tenancy.request import HubRequest, MemberRequest

router = Router(tags=["participation"])

PAGE_SIZE = 100


# The record kinds, as in the website's URLs (``kinds.KINDS``). Named "Section" in the schema
# and the path, as the API has always published them.
Kind = StrEnum(  # type: ignore[misc]
    "Section", {key.upper().replace("-", "_"): key for key in KINDS}, module=__name__
)


class YearIn(Schema):
    year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="The academic year's start year: 2025 means 2025/26. "
        "Default: the newest year with records.",
    )


class TrendOut(Schema):
    year: int
    value: float | None = Field(description="None: no records, or not published, that year.")


class FigureOut(Schema):
    key: str
    label: str
    value: float
    percent: bool = Field(description="The value is a percentage.")
    definition: str = Field(description="How the figure is counted, in plain English.")
    source: str = Field(description="Where it comes from when not from partners' records.")
    published: bool = Field(description="The public page shows this figure for the year.")
    trend: list[TrendOut] = Field(description="The five academic years to this one.")


class ImpactOut(Schema):
    hub: str
    year: int
    year_label: str = Field(description="For example 2025/26.")
    published: bool = Field(description="The hub has published this year's figures.")
    figures: list[FigureOut]


class PartnerRefOut(Schema):
    id: int
    name: str


class SchoolRefOut(Schema):
    id: int
    urn: int | None
    name: str


class RecordOut(Schema):
    id: int
    year: int
    partner: PartnerRefOut
    school: SchoolRefOut | None
    submission_id: int | None = Field(description="The partner's return it came in with.")
    details: dict[str, int | str | bool] = Field(description="The kind of record's own fields.")


class RecordPageOut(Schema):
    section: str
    section_label: str
    year: int
    count: int = Field(description="Records on all pages.")
    page: int
    pages: int
    results: list[RecordOut]


class RecordsIn(YearIn):
    page: int = Field(1, ge=1, le=100_000)


def _year(request: HubRequest, year: int | None) -> int:
    if year is not None:
        return year
    return selectors.default_year(selectors.years_with_records(hub=request.hub))


@router.get("/{hub_slug}/impact", response={200: ImpactOut, **READ_ERRORS}, auth=None)
@hub_operation(None)
def impact(request: HubRequest, hub_slug: str, query: Query[YearIn]) -> Any:
    """The hub's headline figures for a year, each with its definition: the impact page.

    The public gets the years and figures the hub has published (404 for any other year);
    hub staff and partners signed in get every figure of every year."""
    hub = request.hub
    membership = membership_for(request.user, hub) if request.user.is_authenticated else None
    internal = may_see_draft_figures(membership)
    published = publishing.publications(hub=hub)
    if internal:
        year = _year(request, query.year)
    else:
        public_year = query.year if query.year is not None else next(iter(published), None)
        if public_year is None or public_year not in published:
            raise Http404("The hub has not published its figures for that year.")
        year = public_year
    page = impact_page(hub=hub, year=year, publications=published, public=not internal)
    return {
        "hub": hub_slug,
        "year": year,
        "year_label": year_label(year),
        "published": page.publication is not None,
        "figures": [
            {
                "key": row.figure.key,
                "label": row.figure.label,
                "value": row.value,
                "percent": row.figure.percent,
                "definition": row.figure.definition,
                "source": row.figure.source,
                "published": row.published,
                "trend": [{"year": c.year, "value": c.value} for c in row.trend],
            }
            for row in page.rows
        ],
    }


def _record(record: Any, key: str) -> dict[str, Any]:
    school = getattr(record, "school", None)
    return {
        "id": record.pk,
        "year": record.year,
        "partner": {"id": record.partner_id, "name": record.partner.name},
        "school": {"id": school.pk, "urn": school.urn, "name": school.name} if school else None,
        "submission_id": record.submission_id,
        "details": {name: getattr(record, name) for name in KINDS[key].form_fields},
    }


@router.get(
    "/{hub_slug}/participation/{section}",
    response={200: RecordPageOut, **STAFF_READ_ERRORS},
)
@hub_operation("can_manage_participation")
def records(request: MemberRequest, hub_slug: str, section: Kind, query: Query[RecordsIn]) -> Any:
    """One kind of participation record for a year, 100 a page, with partner and school."""
    kind = KINDS[str(section.value)]
    year = _year(request, query.year)
    audit_read(request, ReadAction.PARTICIPATION_RECORDS, year=year, section=kind.key)
    found = selectors.records_for(hub=request.hub, kind=kind, year=year).order_by("pk")
    count = found.count()
    start = (query.page - 1) * PAGE_SIZE
    return {
        "section": kind.key,
        "section_label": kind.label,
        "year": year,
        "count": count,
        "page": query.page,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "results": [_record(r, kind.key) for r in found[start : start + PAGE_SIZE]],
    }


@router.delete(
    "/{hub_slug}/participation/{section}/{id}",
    response={204: None, **WRITE_ERRORS},
)
@hub_operation("can_manage_participation")
def record_delete(request: MemberRequest, hub_slug: str, section: Kind, id: int) -> Any:
    """Delete one participation record, even one in a partner's sent return; the audit log
    keeps what it said."""
    kind = KINDS[str(section.value)]
    record = kind.model.objects.filter(hub=request.hub, pk=id).first()
    if record is None:
        raise Http404("No such record in this hub.")
    services.record_delete(record=record, by=request.user)
    return Status(204, None)

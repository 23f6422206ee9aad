"""The participation JSON API: a hub's impact figures (public) and the records behind them."""

from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tutti.core.api import READ_ERRORS, STAFF_READ_ERRORS, hub_operation
from tutti.participation import selectors
from tutti.participation.figures import compute_figures, load_year
from tutti.participation.forms import SECTION_FIELDS, SECTION_LABELS
from tutti.participation.years import year_label

router = Router(tags=["participation"])

PAGE_SIZE = 100


class Section(StrEnum):
    """The record types, as in the website's URLs (``figures.SECTIONS``)."""

    WCET = "wcet"
    TUITION = "tuition"
    ENSEMBLES = "ensembles"
    SINGING = "singing"
    SCHOOL_SUPPORT = "school-support"
    LOANS = "loans"


class YearIn(Schema):
    year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="The academic year's start year: 2025 means 2025/26. "
        "Default: the newest year with records.",
    )


class FigureOut(Schema):
    key: str
    label: str
    value: float
    percent: bool = Field(description="The value is a percentage.")
    definition: str = Field(description="How the figure is counted, in plain English.")
    source: str = Field(description="Where it comes from when not from partners' records.")


class ImpactOut(Schema):
    hub: str
    year: int
    year_label: str = Field(description="For example 2025/26.")
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
    details: dict[str, int | str | bool] = Field(description="The section's own fields.")


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


def _year(request: HttpRequest, year: int | None) -> int:
    if year is not None:
        return year
    return selectors.default_year(selectors.years_with_records(hub=request.hub))  # type: ignore[attr-defined]


@router.get("/{hub_slug}/impact", response={200: ImpactOut, **READ_ERRORS}, auth=None)
@hub_operation(None)
def impact(request: HttpRequest, hub_slug: str, query: Query[YearIn]) -> Any:
    """The hub's headline figures for a year, each with its definition: the impact page."""
    data = load_year(hub=request.hub, year=_year(request, query.year))  # type: ignore[attr-defined]
    return {
        "hub": hub_slug,
        "year": data.year,
        "year_label": year_label(data.year),
        "figures": [
            {
                "key": f.figure.key,
                "label": f.figure.label,
                "value": f.value,
                "percent": f.figure.percent,
                "definition": f.figure.definition,
                "source": f.figure.source,
            }
            for f in compute_figures(data)
        ],
    }


def _record(record: Any, section: str) -> dict[str, Any]:
    school = getattr(record, "school", None)
    return {
        "id": record.pk,
        "year": record.year,
        "partner": {"id": record.partner_id, "name": record.partner.name},
        "school": {"id": school.pk, "urn": school.urn, "name": school.name} if school else None,
        "submission_id": record.submission_id,
        "details": {name: getattr(record, name) for name in SECTION_FIELDS[section]},
    }


@router.get(
    "/{hub_slug}/participation/{section}",
    response={200: RecordPageOut, **STAFF_READ_ERRORS},
)
@hub_operation("can_manage_participation")
def records(request: HttpRequest, hub_slug: str, section: Section, query: Query[RecordsIn]) -> Any:
    """One section's participation records for a year, 100 a page, with partner and school."""
    key = str(section.value)
    year = _year(request, query.year)
    found = selectors.records_for(hub=request.hub, section=key, year=year).order_by("pk")  # type: ignore[attr-defined]
    count = found.count()
    start = (query.page - 1) * PAGE_SIZE
    return {
        "section": key,
        "section_label": SECTION_LABELS[key],
        "year": year,
        "count": count,
        "page": query.page,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "results": [_record(r, key) for r in found[start : start + PAGE_SIZE]],
    }

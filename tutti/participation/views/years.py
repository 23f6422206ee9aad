"""The academic year a page shows, from its ?year=."""

from django.http import Http404

from tutti.core.years import parse_year
from tutti.participation import selectors
from tutti.participation.figures import YearData, load_year
from tutti.tenancy.request import HubRequest


def chosen_year(request: HubRequest) -> tuple[int, list[int]]:
    """The year asked for (?year=2025 or 2025/26), and the years to choose from."""
    years = selectors.years_with_records(hub=request.hub)
    year = parse_year(request.GET.get("year"), selectors.default_year(years))
    if year is None:
        raise Http404("No such academic year.")
    return year, sorted({*years, year}, reverse=True)


def chosen_year_data(
    request: HubRequest, *, with_schools: bool = False
) -> tuple[YearData, list[int]]:
    year, years = chosen_year(request)
    return load_year(hub=request.hub, year=year, with_schools=with_schools), years

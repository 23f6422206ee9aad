"""The impact figure "Instruments on loan" from the library's real loans (participation asks
through its LIVE_COUNTS hook, which this app fills in its AppConfig.ready)."""

from django.db.models import Count, Q

from tutti.core.years import year_bounds
from tutti.directory.models import Hub
from tutti.loans.models import Loan

SOURCE = "Counted from the hub's instrument library in Tutti, not from partners' returns."


def _in_year(year: int) -> Q:
    first, last = year_bounds(year)
    return Q(starts_on__lte=last) & (Q(returned_on__isnull=True) | Q(returned_on__gte=first))


def instruments_on_loan(hub: Hub, years: list[int]) -> dict[int, tuple[int, str]]:
    """Per year, the instruments on loan at any time in it, to pupils and to schools (each
    counted once), in one query; nothing for a hub that has never lent through Tutti, whose
    partners' returns count instead."""
    counts = Loan.objects.filter(hub=hub).aggregate(
        loans=Count("pk"),
        **{f"y{year}": Count("instrument", distinct=True, filter=_in_year(year)) for year in years},
    )
    if not counts["loans"]:
        return {}
    return {year: (counts[f"y{year}"], SOURCE) for year in years}

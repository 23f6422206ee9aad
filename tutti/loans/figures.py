"""The impact figure "Instruments on loan" from the library's real loans (participation asks
through its LIVE_COUNTS hook, which this app fills in its AppConfig.ready)."""

from tutti.core.years import year_bounds
from tutti.directory.models import Hub
from tutti.loans.models import Instrument
from tutti.loans.selectors import on_loan_in_year

SOURCE = "Counted from the hub's instrument library in Tutti, not from partners' returns."


def instruments_on_loan(hub: Hub, year: int) -> tuple[int, str] | None:
    """Instruments on loan at any time in the year, to pupils and to schools; None for a hub
    that keeps no instruments in Tutti, whose partners' returns count instead."""
    if not Instrument.objects.filter(hub=hub).exists():
        return None
    first, last = year_bounds(year)
    counts = on_loan_in_year(hub_id=hub.pk, first=first, last=last)
    return counts["to_pupils"] + counts["to_schools"], SOURCE

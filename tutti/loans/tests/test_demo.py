"""The demo's instrument library: The Music Partnership's store of realistic size, whose loans
make the impact figure "Instruments on loan" (9,000 in the latest year, as the hub reports)."""

import pytest

from tutti.core.years import current_academic_year
from tutti.demo.loader import load_demo
from tutti.directory.models import Hub
from tutti.loans import selectors
from tutti.loans.models import Charge, Instrument, InstrumentRequest, Loan

pytestmark = pytest.mark.slow


def test_the_music_partnerships_library_counts_its_real_loans(client, db):
    load_demo(echo=lambda line: None)
    hub = Hub.objects.get(slug="the-music-partnership")
    assert Instrument.objects.filter(hub=hub).count() >= 5000
    assert Loan.objects.filter(hub=hub, school__isnull=False).exists()
    assert InstrumentRequest.objects.filter(hub=hub, status="waiting").count() >= 50
    assert Charge.objects.filter(hub=hub, amount=0).exists()
    assert selectors.open_loans(hub=hub, overdue=True).exists()
    year = current_academic_year() - 1
    html = client.get(f"/the-music-partnership/impact/?year={year}").content.decode()
    assert "Counted from the hub&#x27;s instrument library in Tutti" in html
    # The other hubs keep no instruments in Tutti: their partners' returns count.
    assert not Instrument.objects.filter(hub__slug="wiltshire").exists()

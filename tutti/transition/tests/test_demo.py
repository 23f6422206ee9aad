"""The demo's transition: Wiltshire secondaries with suggested and confirmed feeders, a picture
with instruments, and a dozen invented passports in every state."""

import pytest
from django.core.management import call_command

from tutti.core.years import current_academic_year
from tutti.directory.models import Hub
from tutti.transition import selectors
from tutti.transition.models import FeederDecision, FeederState, Passport, PassportStatus

pytestmark = pytest.mark.slow


def test_the_demo_has_feeders_a_picture_and_a_dozen_passports(db):
    call_command("load_demo", verbosity=0)
    hub = Hub.objects.get(slug="wiltshire")
    confirmed = FeederDecision.objects.filter(hub=hub, state=FeederState.CONFIRMED)
    assert confirmed.values("secondary").distinct().count() == 6
    assert FeederDecision.objects.filter(hub=hub, state=FeederState.REMOVED).count() == 6
    secondary = confirmed.first().secondary
    rows = selectors.feeder_rows(hub=hub, secondary=secondary)
    assert {r.state for r in rows} >= {"confirmed", "suggested", "removed"}
    assert all(r.distance_km is not None for r in rows)

    picture = selectors.picture(hub=hub, secondary=secondary, year=current_academic_year())
    assert picture.chart, "the demo's Year 6s played something"
    assert picture.has_records

    passports = Passport.objects.filter(hub=hub)
    assert passports.count() == 12
    assert set(passports.values_list("status", flat=True)) == {
        s for s in PassportStatus.values if s != PassportStatus.DELETED
    }
    assert all(p.child_name.endswith("(invented)") for p in passports if p.child_name)
    (figure,) = [c for c in selectors.continuation(hub=hub) if c.is_shown]
    assert (figure.sent, figure.carried_on) == (10, 5)

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tutti.events.models import Event
from tutti.events.selectors import with_places
from tutti.events.templatetags.events_tags import event_meta
from tutti.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SUMMER = datetime(2027, 6, 8, 14, 0, tzinfo=UTC)  # 15:00 in London


def test_the_line_gives_the_london_time_sessions_venue_and_price(world):
    sessions = [(SUMMER + timedelta(days=d), SUMMER + timedelta(days=d, hours=2)) for d in (0, 7)]
    event = EventFactory(
        hub=world.hub,
        starts_at=SUMMER,
        venue=world.school,
        is_online=False,
        price=Decimal("12.50"),
        sessions=sessions,
    )
    listed = with_places(Event.objects.filter(pk=event.pk)).select_related("category", "venue")
    line = event_meta(listed.get())
    assert line == (
        '<p class="meta"><time datetime="2027-06-08T15:00:00+01:00">Tuesday 8 June 2027, 15:00'
        f"</time> · 2 sessions · {event.category.name} · Devizes Primary School, "
        f"{world.school.town} · £12.50</p>"
    )


def test_an_online_free_event_at_a_typed_venue_is_escaped(world):
    event = EventFactory(hub=world.hub, starts_at=SUMMER, venue_name="<i>Hall</i>", price=0)
    line = event_meta(event)  # no sessions annotated: not "1 sessions"
    assert "sessions" not in line
    assert line.endswith(" · &lt;i&gt;Hall&lt;/i&gt; · Online · Free</p>")

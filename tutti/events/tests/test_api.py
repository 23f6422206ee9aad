from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutti.events.models import EventStatus
from tutti.events.tests.factories import BookingFactory, EventFactory

API = "/api/hubs/wiltshire/events"
LONDON = ZoneInfo("Europe/London")


def test_list_gives_upcoming_published_events_with_places(client, world):
    start = datetime(2027, 7, 15, 19, tzinfo=LONDON)
    event = EventFactory(
        hub=world.hub,
        title="Summer concert",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
        price=5,
        venue=world.partner,
        is_online=False,
        cluster=world.cluster,
        for_families=True,
    )
    BookingFactory.create_batch(3, event=event)
    EventFactory(hub=world.hub, status=EventStatus.DRAFT, published_at=None)
    EventFactory(hub=world.other_hub)
    response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    (item,) = body["results"]
    assert item["title"] == "Summer concert"
    assert item["starts_at"] == "2027-07-15T18:00:00Z"
    assert item["category"] == "cluster-meetings"
    assert item["audiences"] == ["families"]
    assert item["cluster"] == "devizes-area"
    assert item["venue"]["name"] == "Wiltshire Music Centre"
    assert (item["capacity"], item["places_left"], item["price"]) == (10, 7, "5.00")
    assert item["url"].endswith(f"/wiltshire/whats-on/{event.pk}/")


def test_list_takes_the_pages_filters(client, world):
    festivals = world.hub.event_categories.get(slug="festivals")
    EventFactory(hub=world.hub, title="Festival", category=festivals)
    EventFactory(hub=world.hub, title="Meeting", price=10)

    def titles(**query):
        return [e["title"] for e in client.get(API, query).json()["results"]]

    assert titles(category="festivals") == ["Festival"]
    assert titles(price="paid") == ["Meeting"]
    assert titles(q="fest") == ["Festival"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"cluster": "fenland"}, "cluster"),
        ({"audience": "cats"}, "audience"),
        ({"date_from": "soon"}, "date_from"),
        ({"price": "cheap"}, "price"),
    ],
)
def test_an_unknown_filter_is_400_and_names_it(client, world, query, field):
    response = client.get(API, query)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_page_zero_is_422(client, world):
    assert client.get(API, {"page": 0}).status_code == 422


@pytest.mark.parametrize("rows", [3, 30])
def test_list_uses_a_fixed_number_of_queries(client, world, rows):
    for n in range(rows):
        EventFactory(
            hub=world.hub,
            starts_at=timezone.now() + timedelta(days=n + 1),
            ends_at=timezone.now() + timedelta(days=n + 1, hours=1),
            cluster=world.cluster,
            venue=world.school,
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API).status_code == 200
    # hub, categories and clusters (to check the filters), the count, the page
    assert len(queries) == 5


def test_detail_has_the_sessions(client, world):
    a = timezone.now() + timedelta(days=10)
    b = a + timedelta(days=90)
    event = EventFactory(
        hub=world.hub,
        starts_at=a,
        ends_at=b + timedelta(hours=6),
        sessions=[(a, a + timedelta(hours=6)), (b, b + timedelta(hours=6))],
    )
    body = client.get(f"{API}/{event.pk}").json()
    assert len(body["sessions"]) == 2
    assert body["session_count"] == 2


@pytest.mark.parametrize("which", ["draft", "other_hub", "unknown"])
def test_detail_of_a_draft_another_hubs_or_unknown_event_is_404(client, world, which):
    pk = {
        "draft": lambda: EventFactory(hub=world.hub, status="draft", published_at=None).pk,
        "other_hub": lambda: EventFactory(hub=world.other_hub).pk,
        "unknown": lambda: 999999,
    }[which]()
    response = client.get(f"{API}/{pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such event in this hub's What's On."

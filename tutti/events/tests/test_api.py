from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.core.tests.helpers import send
from tutti.events.models import BookingStatus, Event, EventStatus
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


# Staff writes, and bookings for staff


def new_event(**changes):
    start = datetime(2027, 7, 15, 19, tzinfo=LONDON)
    body = {
        "title": "Summer concert",
        "summary": "The county youth orchestra.",
        "category": "concerts-and-performances",
        "audiences": ["families", "young_people"],
        "is_online": False,
        "capacity": 120,
        "price": "5.00",
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
        ],
    }
    return body | changes


def test_staff_create_a_draft(client_for, world):
    body = new_event(venue_id=world.partner.pk, organiser_id=world.partner.pk)
    response = send(client_for("staff"), "POST", API, body)
    assert response.status_code == 201, response.content
    data = response.json()
    event = Event.objects.get()
    assert data["id"] == event.pk
    assert (data["status"], data["booked"], data["places_left"]) == ("draft", 0, 120)
    assert data["starts_at"] == "2027-07-15T18:00:00Z"
    assert data["audiences"] == ["young_people", "families"]
    assert (data["venue"]["id"], data["organiser_id"]) == (world.partner.pk, world.partner.pk)
    assert data["price"] == "5.00"
    assert event.created_by == world.users["staff"]
    assert AuditLog.objects.filter(action="events.event.created", object_id=event.pk).exists()


def test_a_series_keeps_its_sessions_in_order(client_for, world):
    a = datetime(2027, 1, 20, 9, 30, tzinfo=LONDON)
    b = datetime(2026, 12, 9, 9, 30, tzinfo=LONDON)
    sessions = [
        {"starts_at": t.isoformat(), "ends_at": (t + timedelta(hours=6)).isoformat(), "title": n}
        for t, n in ((a, "Spring"), (b, "Autumn"))
    ]
    response = send(client_for("staff"), "POST", API, new_event(is_online=True, sessions=sessions))
    assert [s["title"] for s in response.json()["sessions"]] == ["Autumn", "Spring"]


def test_a_coordinator_creates_only_their_own_clusters_events(client_for, world):
    client = client_for("coordinator")
    response = send(client, "POST", API, new_event(cluster="chippenham"))
    assert response.status_code == 403
    assert "cluster you coordinate" in response.json()["detail"]
    assert send(client, "POST", API, new_event()).status_code == 403  # the hub's own
    assert not Event.objects.exists()
    response = send(client, "POST", API, new_event(cluster="devizes-area"))
    assert response.status_code == 201
    assert response.json()["cluster"] == "devizes-area"


def test_partner_staff_create_their_organisations_events(client_for, world):
    client = client_for("partner")
    assert send(client, "POST", API, new_event()).status_code == 403
    response = send(client, "POST", API, new_event(organiser_id=world.partner.pk))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"category": "knitting"}, 400, "category"),
        ({"cluster": "fenland"}, 400, "cluster"),
        ({"venue_id": "OTHER_SCHOOL"}, 400, "venue_id"),
        ({"organiser_id": "SCHOOL"}, 400, "organiser_id"),
        ({"title": ""}, 400, None),
        ({"online_link": "not a link"}, 400, None),
        ({"capacity": 0}, 422, "capacity"),
        ({"price": "-1"}, 422, "price"),
        ({"price": "1.234"}, 422, "price"),
        ({"title": "Nul\x00"}, 422, "title"),
        ({"audiences": ["cats"]}, 422, "audiences.0"),
        ({"sessions": []}, 422, "sessions"),
        (
            {"sessions": [{"starts_at": "2027-07-15T19:00", "ends_at": "2027-07-15T21:00"}]},
            422,
            None,
        ),
        (
            {"sessions": [{"starts_at": "2027-07-15T19:00Z", "ends_at": "2027-07-15T18:00Z"}]},
            400,
            None,
        ),
        (
            {"sessions": [{"starts_at": "1899-07-15T19:00Z", "ends_at": "1899-07-15T21:00Z"}]},
            422,
            "sessions.0.starts_at",
        ),
        ({"booking_opens_at": "9999-12-31T23:00:00-23:00"}, 422, "booking_opens_at"),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(client_for, world, changes, status, field):
    ids = {"OTHER_SCHOOL": world.other_school.pk, "SCHOOL": world.school.pk}
    changes = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    response = send(client_for("staff"), "POST", API, new_event(**changes))
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    if field:
        assert field in [e["field"] for e in body["errors"]]
    assert not Event.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="events.").exists()


def test_update_changes_only_what_is_sent(client_for, world):
    event = EventFactory(hub=world.hub, cluster=world.cluster, capacity=1, title="Meeting")
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, status=BookingStatus.WAITING)
    response = send(client_for("coordinator"), "PATCH", f"{API}/{event.pk}", {"capacity": 5})
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["places_left"]) == ("Meeting", 3)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_update_replaces_the_sessions(client_for, world):
    event = EventFactory(hub=world.hub)
    start = datetime(2027, 3, 1, 10, tzinfo=LONDON)
    body = {
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}
        ]
    }
    response = send(client_for("staff"), "PATCH", f"{API}/{event.pk}", body)
    assert response.json()["sessions"] == [
        {"title": "", "starts_at": "2027-03-01T10:00:00Z", "ends_at": "2027-03-01T11:00:00Z"}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": None}, "title"),
        ({"sessions": None}, "sessions"),
        ({"cluster": "nope"}, "cluster"),
    ],
)
def test_update_refuses_bad_values_and_changes_nothing(client_for, world, body, field):
    event = EventFactory(hub=world.hub, title="Meeting", cluster=world.cluster)
    response = send(client_for("staff"), "PATCH", f"{API}/{event.pk}", body)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    event.refresh_from_db()
    assert (event.title, event.cluster) == ("Meeting", world.cluster)


def test_a_coordinator_cannot_move_their_event_to_another_cluster(client_for, world):
    event = EventFactory(hub=world.hub, cluster=world.cluster)
    response = send(
        client_for("coordinator"), "PATCH", f"{API}/{event.pk}", {"cluster": "chippenham"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.cluster == world.cluster


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "", {"title": "Mine now"}),
        ("POST", "/publish", None),
        ("POST", "/cancel", {}),
        ("GET", "/bookings", None),
    ],
)
def test_another_hubs_event_is_404_and_anothers_is_403(client_for, world, method, path, body):
    other_hub = EventFactory(hub=world.other_hub, status=EventStatus.DRAFT, title="Theirs")
    response = send(client_for("staff"), method, f"{API}/{other_hub.pk}{path}", body)
    assert response.status_code == 404
    assert response.json()["detail"] == "No such event in this hub."
    response = send(
        client_for("staff"), method, f"/api/hubs/cambridgeshire/events/{other_hub.pk}{path}", body
    )
    assert response.status_code == 404
    chippenham = EventFactory(
        hub=world.hub, cluster=world.other_cluster, status=EventStatus.DRAFT, title="Theirs"
    )
    response = send(client_for("coordinator"), method, f"{API}/{chippenham.pk}{path}", body)
    assert response.status_code == 403
    for event in (other_hub, chippenham):
        event.refresh_from_db()
        assert (event.title, event.status) == ("Theirs", EventStatus.DRAFT)


def test_publish_then_publishing_again_is_409(client_for, world):
    event = EventFactory(hub=world.hub, status=EventStatus.DRAFT, published_at=None)
    client = client_for("staff")
    response = send(client, "POST", f"{API}/{event.pk}/publish")
    assert (response.status_code, response.json()["status"]) == (200, "published")
    response = send(client, "POST", f"{API}/{event.pk}/publish")
    assert response.status_code == 409
    assert "Only a draft can be published" in response.json()["detail"]


def test_a_draft_with_nowhere_to_be_is_not_published(client_for, world):
    event = EventFactory(
        hub=world.hub, status=EventStatus.DRAFT, published_at=None, is_online=False
    )
    response = send(client_for("staff"), "POST", f"{API}/{event.pk}/publish")
    assert response.status_code == 409
    assert "Choose a venue" in response.json()["detail"]
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_cancel_emails_the_bookers_then_cancelling_again_is_409(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(hub=world.hub, organiser=world.partner)
    BookingFactory.create_batch(2, event=event)
    client = client_for("partner")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "POST", f"{API}/{event.pk}/cancel", {"reason": "Snow."})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancellation_reason"]) == (
        "cancelled",
        "Snow.",
    )
    assert len(mailoutbox) == 2
    assert send(client, "POST", f"{API}/{event.pk}/cancel", {}).status_code == 409


def test_bookings_list_places_then_the_waiting_list_in_order(client_for, world):
    event = EventFactory(hub=world.hub, cluster=world.cluster, capacity=1)
    BookingFactory(event=event, name="Ann")
    BookingFactory(event=event, name="Bea", status=BookingStatus.WAITING)
    BookingFactory(event=event, name="Cal", status=BookingStatus.WAITING)
    BookingFactory(event=event, name="Dee", status=BookingStatus.CANCELLED)
    BookingFactory(event=EventFactory(hub=world.hub), name="Elsewhere")
    client = client_for("coordinator")
    response = client.get(f"{API}/{event.pk}/bookings")
    assert response.status_code == 200
    assert [(b["name"], b["status"], b["waiting_place"]) for b in response.json()] == [
        ("Ann", "confirmed", None),
        ("Bea", "waiting", 1),
        ("Cal", "waiting", 2),
        ("Dee", "cancelled", None),
    ]
    waiting = client.get(f"{API}/{event.pk}/bookings", {"status": "waiting"}).json()
    assert [b["name"] for b in waiting] == ["Bea", "Cal"]
    assert client.get(f"{API}/{event.pk}/bookings", {"status": "lost"}).status_code == 422


def test_bookings_of_a_draft_are_there_for_staff(client_for, world):
    event = EventFactory(hub=world.hub, status=EventStatus.DRAFT, published_at=None)
    assert client_for("staff").get(f"{API}/{event.pk}/bookings").json() == []


def test_writes_need_signing_in(client, world):
    response = send(client, "POST", API, new_event())
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Event.objects.exists()


def test_the_api_takes_a_typed_venue_and_payment_and_lists_places(client_for, world):
    client = client_for("staff")
    response = send(
        client,
        "POST",
        API,
        new_event(
            venue_name="Salisbury Cathedral",
            venue_address="The Close, Salisbury SP1 2EJ",
            payment_instructions="Pay on the door.",
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["venue"], body["venue_name"], body["payment_instructions"]) == (
        None,
        "Salisbury Cathedral",
        "Pay on the door.",
    )
    event = Event.objects.get()
    BookingFactory(event=event, places=3)
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    assert send(client, "PATCH", f"{API}/{event.pk}", {"capacity": 2}).status_code == 400
    event.refresh_from_db()
    assert event.capacity == 120
    assert [b["places"] for b in client.get(f"{API}/{event.pk}/bookings").json()] == [3]
    staff_view = send(client, "PATCH", f"{API}/{event.pk}", {"capacity": 3}).json()
    assert (staff_view["capacity"], staff_view["booked"]) == (3, 3)

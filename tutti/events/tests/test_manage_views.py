"""Staff, coordinators and partners at /<hub>/manage/events/."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from tutti.events.models import Booking, BookingStatus, Event, EventStatus
from tutti.events.tests.factories import BookingFactory, EventFactory

MANAGE = "/wiltshire/manage/events/"


@pytest.fixture
def events(world):
    """One event per owner: the coordinator's cluster, the partner's organisation, the hub."""
    return {
        "cluster": EventFactory(hub=world.hub, title="Devizes meeting", cluster=world.cluster),
        "other_cluster": EventFactory(
            hub=world.hub, title="Chippenham meeting", cluster=world.other_cluster
        ),
        "partner": EventFactory(hub=world.hub, title="Centre concert", organiser=world.partner),
        "hub": EventFactory(hub=world.hub, title="Hub conference"),
        "other_hub": EventFactory(hub=world.other_hub, title="Fenland meeting"),
    }


def form_data(world, **changes):
    day = timezone.localdate() + timedelta(days=21)
    data = {
        "title": "Devizes termly meeting",
        "summary": "Share plans for the term.",
        "description": "",
        "category": world.hub.event_categories.get(slug="cluster-meetings").pk,
        "audiences": ["schools", "providers"],
        "cluster": world.cluster.pk,
        "organiser": "",
        "venue": world.school.pk,
        "online_link": "",
        "capacity": "20",
        "price": "0",
        "booking_opens_at": "",
        "booking_closes_at": "",
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "12",
        "sessions-0-date": day.isoformat(),
        "sessions-0-start": "15:45",
        "sessions-0-end": "17:00",
        "sessions-0-title": "",
    }
    for n in (1, 2):
        data |= {f"sessions-{n}-{k}": "" for k in ("date", "start", "end", "title")}
    return data | changes


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff", ["Centre concert", "Chippenham meeting", "Devizes meeting", "Hub conference"]),
        ("admin", ["Centre concert", "Chippenham meeting", "Devizes meeting", "Hub conference"]),
        ("coordinator", ["Devizes meeting"]),
        ("partner", ["Centre concert"]),
    ],
)
def test_each_role_sees_the_events_they_manage(client_for, world, events, who, expected):
    response = client_for(who).get(MANAGE)
    assert sorted(e.title for e in response.context["page"].object_list) == expected


def test_staff_create_a_one_off_event_as_a_draft(client_for, world):
    response = client_for("staff").post(f"{MANAGE}new/", form_data(world))
    event = Event.objects.get(title="Devizes termly meeting")
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}{event.pk}/"
    assert event.status == EventStatus.DRAFT
    assert (event.for_schools, event.for_providers, event.for_families) == (True, True, False)
    assert event.capacity == 20
    (session,) = event.sessions.all()
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "15:45"
    assert event.created_by == world.users["staff"]


def test_create_a_series(client_for, world):
    first = timezone.localdate() + timedelta(days=30)
    data = form_data(
        world,
        **{
            "sessions-0-title": "Autumn",
            "sessions-1-date": (first + timedelta(days=90)).isoformat(),
            "sessions-1-start": "09:30",
            "sessions-1-end": "15:30",
            "sessions-1-title": "Spring",
            "sessions-0-date": first.isoformat(),
        },
    )
    client_for("staff").post(f"{MANAGE}new/", data)
    event = Event.objects.get()
    assert [s.title for s in event.sessions.all()] == ["Autumn", "Spring"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"sessions-0-date": ""}, "Session 1, date: Enter the date."),
        ({"sessions-0-end": "15:00"}, "The session must end after it starts."),
        ({"capacity": "0"}, "Places must be at least 1"),
        ({"cluster": "999999"}, "Select a valid choice."),
    ],
)
def test_create_form_explains_problems_and_writes_nothing(client_for, world, changes, message):
    response = client_for("staff").post(f"{MANAGE}new/", form_data(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_coordinator_creates_events_only_for_their_own_cluster(client_for, world):
    client = client_for("coordinator")
    response = client.post(f"{MANAGE}new/", form_data(world, cluster=world.other_cluster.pk))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    response = client.post(f"{MANAGE}new/", form_data(world, cluster=""))
    # They coordinate clusters and work for no organisation: a cluster is required.
    assert "Choose one of the clusters you coordinate." in response.content.decode()
    assert not Event.objects.exists()
    assert client.post(f"{MANAGE}new/", form_data(world)).status_code == 302
    assert Event.objects.get().cluster == world.cluster


def test_a_partner_creates_events_for_their_organisation(client_for, world):
    data = form_data(world, cluster="", organiser=world.partner.pk)
    assert client_for("partner").post(f"{MANAGE}new/", data).status_code == 302
    assert Event.objects.get().organiser == world.partner


def test_a_coordinator_with_no_cluster_is_told_how_to_get_one(client_for, world):
    world.cluster.coordinator = None
    world.cluster.save(update_fields=["coordinator"])
    html = client_for("coordinator").get(f"{MANAGE}new/").content.decode()
    assert "you have neither yet" in html


def test_edit_keeps_the_sessions_and_changes_what_is_posted(client_for, world, events):
    event = events["cluster"]
    client = client_for("coordinator")
    page = client.get(f"{MANAGE}{event.pk}/edit/")
    assert page.status_code == 200
    sessions = page.context["sessions"]
    start = timezone.localtime(event.starts_at)
    assert sessions.forms[0].initial["date"] == start.date()
    data = form_data(
        world,
        title="Devizes meeting (moved)",
        **{
            "sessions-INITIAL_FORMS": "1",
            "sessions-0-date": start.date().isoformat(),
            "sessions-0-start": "16:00",
            "sessions-0-end": "17:30",
        },
    )
    assert client.post(f"{MANAGE}{event.pk}/edit/", data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Devizes meeting (moved)"
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "16:00"
    assert event.sessions.count() == 1


@pytest.mark.parametrize(
    ("who", "which"),
    [
        ("coordinator", "other_cluster"),
        ("coordinator", "partner"),
        ("coordinator", "hub"),
        ("partner", "cluster"),
        ("partner", "hub"),
    ],
)
@pytest.mark.parametrize("page", ["", "edit/", "cancel/", "attendees.csv", "attendees.xlsx"])
def test_others_events_are_403(client_for, world, events, who, which, page):
    response = client_for(who).get(f"{MANAGE}{events[which].pk}/{page}")
    assert response.status_code == 403


@pytest.mark.parametrize("action", ["publish/", "cancel/", "duplicate/"])
def test_posting_to_anothers_event_is_403_and_changes_nothing(client_for, world, events, action):
    event = events["other_cluster"]
    assert client_for("coordinator").post(f"{MANAGE}{event.pk}/{action}").status_code == 403
    assert Event.objects.filter(hub=world.hub).count() == 4
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


@pytest.mark.parametrize("page", ["", "edit/", "cancel/", "attendees.csv", "attendees.xlsx"])
def test_another_hubs_event_is_404(client_for, world, events, page):
    pk = events["other_hub"].pk
    assert client_for("staff").get(f"{MANAGE}{pk}/{page}").status_code == 404
    assert client_for("staff").get(f"/cambridgeshire/manage/events/{pk}/{page}").status_code == 404


def test_publish(client_for, world):
    event = EventFactory(
        hub=world.hub, status=EventStatus.DRAFT, published_at=None, cluster=world.cluster
    )
    client = client_for("coordinator")
    response = client.post(f"{MANAGE}{event.pk}/publish/", follow=True)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert "is now on the What&#x27;s On" in response.content.decode()
    response = client.post(f"{MANAGE}{event.pk}/publish/", follow=True)
    assert "Only a draft can be published" in response.content.decode()


def test_cancel_asks_then_cancels_and_emails_everyone(
    client_for, world, events, mailoutbox, django_capture_on_commit_callbacks
):
    event = events["cluster"]
    BookingFactory.create_batch(2, event=event)
    BookingFactory(event=event, status=BookingStatus.WAITING)
    BookingFactory(event=event, status=BookingStatus.CANCELLED)
    client = client_for("coordinator")
    html = client.get(f"{MANAGE}{event.pk}/cancel/").content.decode()
    assert "We will email the 3 people who booked or are waiting" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{MANAGE}{event.pk}/cancel/", {"reason": "Snow."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert event.cancellation_reason == "Snow."
    assert len(mailoutbox) == 3


def test_duplicate_makes_a_draft_and_opens_it_for_editing(client_for, world, events):
    response = client_for("partner").post(f"{MANAGE}{events['partner'].pk}/duplicate/")
    copy = Event.objects.get(title="Copy of Centre concert")
    assert response["Location"] == f"{MANAGE}{copy.pk}/edit/"
    assert copy.status == EventStatus.DRAFT
    assert copy.organiser == world.partner


def test_the_bookings_page_shows_places_and_the_waiting_list_in_order(client_for, world):
    event = EventFactory(hub=world.hub, capacity=2, cluster=world.cluster)
    BookingFactory(event=event, name="Ann")
    BookingFactory(event=event, name="Bea")
    BookingFactory(event=event, name="Cal", status=BookingStatus.WAITING)
    BookingFactory(event=event, name="Dee", status=BookingStatus.WAITING)
    response = client_for("coordinator").get(f"{MANAGE}{event.pk}/")
    html = response.content.decode()
    assert "2 of 2 booked, full" in html
    assert [b.name for b in response.context["waiting"]] == ["Cal", "Dee"]
    assert html.index("Cal") < html.index("Dee")


def test_staff_cancel_a_booking_and_the_first_waiting_gets_the_place(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(hub=world.hub, capacity=1)
    booked = BookingFactory(event=event)
    waiting = BookingFactory(event=event, status=BookingStatus.WAITING)
    url = f"{MANAGE}{event.pk}/bookings/{booked.pk}/cancel/"
    page = client_for("staff").get(url)
    assert "Their place goes to the first person on the waiting list" in page.content.decode()
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CONFIRMED  # only the POST cancels
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(url)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    assert {m.to[0] for m in mailoutbox} == {booked.email, waiting.email}


def test_a_booking_of_another_event_cannot_be_cancelled_through_this_one(client_for, world, events):
    other = BookingFactory(event=events["other_hub"])
    url = f"{MANAGE}{events['hub'].pk}/bookings/{other.pk}/cancel/"
    assert client_for("staff").post(url).status_code == 404
    other.refresh_from_db()
    assert other.status == BookingStatus.CONFIRMED


def test_attendees_csv_lists_places_then_the_waiting_list(client_for, world):
    event = EventFactory(hub=world.hub, capacity=1, organiser=world.partner)
    BookingFactory(event=event, name="=HYPERLINK(1)", email="ann@example.org")
    BookingFactory(event=event, name="Bea", status=BookingStatus.WAITING)
    BookingFactory(event=event, name="Cal", status=BookingStatus.CANCELLED)
    response = client_for("partner").get(f"{MANAGE}{event.pk}/attendees.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="event-{event.pk}-attendees.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Email",
        "Organisation",
        "Status",
        "Waiting list place",
        "Booked at",
        "Places",
    ]
    assert [r[:5] for r in rows[1:]] == [
        ["'=HYPERLINK(1)", "ann@example.org", "Devizes Primary School", "Confirmed", ""],
        ["Bea", rows[2][1], "Devizes Primary School", "On the waiting list", "1"],
    ]
    assert Booking.objects.count() == 3


def test_attendees_xlsx_has_the_csvs_columns_and_rows(client_for, world):
    event = EventFactory(hub=world.hub, capacity=1, cluster=world.cluster)
    BookingFactory(event=event, name="=HYPERLINK(1)", email="ann@example.org")
    BookingFactory(event=event, name="Bea", organisation_name="@SUM(A1)")
    BookingFactory(event=event, name="Cal", status=BookingStatus.WAITING)
    BookingFactory(event=event, name="Dee", status=BookingStatus.CANCELLED)
    client = client_for("coordinator")
    response = client.get(f"{MANAGE}{event.pk}/attendees.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f'filename="event-{event.pk}-attendees.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get(f"{MANAGE}{event.pk}/attendees.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[0] == csv_rows[0]
    assert [r[:4] for r in rows[1:]] == [r[:4] for r in csv_rows[1:]]
    assert [r[:5] for r in rows[1:]] == [
        ["'=HYPERLINK(1)", "ann@example.org", "Devizes Primary School", "Confirmed", None],
        ["Bea", rows[2][1], "'@SUM(A1)", "Confirmed", None],
        ["Cal", rows[3][1], "Devizes Primary School", "On the waiting list", 1],
    ]
    # Nothing is a formula, and the booking time is a real date in London time.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert rows[1][5].strftime("%Y-%m-%d %H:%M") == csv_rows[1][5]


def test_manage_home_links_to_events(client_for, world):
    for who in ("staff", "coordinator", "partner"):
        assert f'href="{MANAGE}"' in client_for(who).get("/wiltshire/manage/").content.decode()


def test_the_list_shows_whats_coming_soonest_first_then_whats_over(client_for, world):
    now = timezone.now()
    for title, days in [
        ("Next month", 30),
        ("Last month", -30),
        ("Tomorrow", 1),
        ("Last week", -7),
    ]:
        start = now + timedelta(days=days)
        EventFactory(
            hub=world.hub, title=title, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    response = client_for("staff").get(MANAGE)
    assert [e.title for e in response.context["page"].object_list] == [
        "Tomorrow",
        "Next month",
        "Last week",
        "Last month",
    ]


def test_a_coordinator_starts_with_their_cluster_chosen(client_for, world):
    form = client_for("coordinator").get(f"{MANAGE}new/").context["form"]
    assert form.initial["cluster"] == world.cluster.pk
    assert list(form.fields["cluster"].queryset) == [world.cluster]

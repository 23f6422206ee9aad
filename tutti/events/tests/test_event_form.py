"""The event form's messages and defaults, typed venues, payment and booking several places."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tutti.events import services
from tutti.events.models import Booking, BookingStatus, Event, EventStatus
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.events.tests.test_manage_views import MANAGE, form_data

WHATS_ON = "/wiltshire/whats-on/"


def summary(html: str) -> str:
    """The error summary at the top of the page."""
    start = html.index('class="error-summary"')
    return html[start : html.index("</div>", start)]


def test_no_session_says_so_in_words(client_for, world):
    response = client_for("staff").post(
        f"{MANAGE}new/",
        form_data(world, **{"sessions-0-date": "", "sessions-0-start": "", "sessions-0-end": ""}),
    )
    html = response.content.decode()
    assert "Give the date and times of at least one session." in summary(html)
    assert "Please submit at least" not in html
    assert not Event.objects.exists()


def test_an_end_before_the_start_is_in_the_summary_with_a_link(client_for, world):
    response = client_for("staff").post(
        f"{MANAGE}new/", form_data(world, **{"sessions-0-end": "15:00"})
    )
    top = summary(response.content.decode())
    assert 'href="#id_sessions-0-end"' in top
    assert "Session 1, ends: The session must end after it starts." in top
    assert 'tabindex="-1"' in top
    assert not Event.objects.exists()


def test_a_coordinator_starts_with_their_cluster_and_no_choice_that_is_refused(client_for, world):
    response = client_for("coordinator").get(f"{MANAGE}new/")
    form = response.context["form"]
    assert form.fields["cluster"].empty_label is None
    assert form.fields["cluster"].required
    assert list(form.fields["cluster"].queryset) == [world.cluster]
    assert "None: not a cluster&#x27;s event" not in response.content.decode()


def test_staff_may_still_choose_no_cluster(client_for, world):
    response = client_for("staff").get(f"{MANAGE}new/")
    assert response.context["form"].fields["cluster"].empty_label == "None: not a cluster's event"
    assert client_for("staff").post(f"{MANAGE}new/", form_data(world, cluster="")).status_code == (
        302
    )


def test_the_venue_says_it_is_needed_to_publish_not_optional(client_for, world):
    html = client_for("staff").get(f"{MANAGE}new/").content.decode()
    label = html[
        html.index('for="id_venue"') : html.index("</label>", html.index('for="id_venue"'))
    ]
    assert "(needed to publish)" in label
    assert "(optional)" not in label


def test_a_typed_venue_is_saved_shown_and_enough_to_publish(client, client_for, world):
    staff = client_for("staff")
    response = staff.post(
        f"{MANAGE}new/",
        form_data(
            world,
            venue="",
            venue_name="Salisbury Cathedral",
            venue_address="The Close, Salisbury SP1 2EJ",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.venue, event.venue_name) == (None, "Salisbury Cathedral")
    services.event_publish(event=event, by=None)
    page = client.get(f"{WHATS_ON}{event.pk}/").content.decode()
    assert "Salisbury Cathedral, The Close, Salisbury SP1 2EJ" in page


def test_a_venue_both_chosen_and_typed_is_refused(client_for, world):
    response = client_for("staff").post(
        f"{MANAGE}new/", form_data(world, venue_name="Salisbury Cathedral")
    )
    assert "Choose a venue from the directory or type one in, not both." in summary(
        response.content.decode()
    )
    assert not Event.objects.exists()


def test_an_event_in_the_past_is_saved_with_a_warning(client_for, world):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for("staff").post(
        f"{MANAGE}new/", form_data(world, **{"sessions-0-date": yesterday.isoformat()}), follow=True
    )
    assert Event.objects.count() == 1
    assert "is in the past, so people cannot book it" in response.content.decode()


def test_an_event_in_the_future_has_no_warning(client_for, world):
    response = client_for("staff").post(f"{MANAGE}new/", form_data(world), follow=True)
    assert "is in the past" not in response.content.decode()


def test_a_paid_event_needs_payment_instructions(client_for, world):
    staff = client_for("staff")
    response = staff.post(f"{MANAGE}new/", form_data(world, price="12.50"))
    assert "Say how to pay" in summary(response.content.decode())
    assert not Event.objects.exists()
    response = staff.post(
        f"{MANAGE}new/",
        form_data(world, price="12.50", payment_instructions="Pay by invoice to your school."),
    )
    assert response.status_code == 302
    assert Event.objects.get().price == Decimal("12.50")


def test_payment_instructions_are_on_the_page_and_in_the_confirmation(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(
        hub=world.hub, price=Decimal("8.00"), payment_instructions="Bank transfer: 12-34-56."
    )
    assert "Bank transfer: 12-34-56." in client.get(f"{WHATS_ON}{event.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{WHATS_ON}{event.pk}/", {"name": "Pat", "email": "pat@example.org", "places": "2"}
        )
    [mail] = mailoutbox
    assert "How to pay:\nBank transfer: 12-34-56." in mail.body
    assert "Places: 2" in mail.body


def test_a_family_books_several_places_from_the_page(client, world):
    event = EventFactory(hub=world.hub, capacity=3)
    response = client.post(
        f"{WHATS_ON}{event.pk}/",
        {"name": "Pat", "email": "pat@example.org", "places": "3"},
        follow=True,
    )
    booking = Booking.objects.get()
    assert (booking.places, booking.status) == (3, BookingStatus.CONFIRMED)
    assert "with 3 places" in response.content.decode()
    response = client.post(
        f"{WHATS_ON}{event.pk}/",
        {"name": "Sam", "email": "sam@example.org", "places": "2"},
        follow=True,
    )
    assert "There are not 2 places left, so you are on the waiting list" in (
        response.content.decode()
    )


def test_too_many_places_are_refused_on_the_page(client, world):
    event = EventFactory(hub=world.hub, capacity=30)
    response = client.post(
        f"{WHATS_ON}{event.pk}/", {"name": "Pat", "email": "pat@example.org", "places": "7"}
    )
    assert "Choose from 1 to 6 places." in response.content.decode()
    assert not Booking.objects.exists()


def test_lowering_capacity_below_the_places_booked_is_explained(client_for, world):
    event = EventFactory(hub=world.hub, capacity=10, cluster=world.cluster, venue=world.school)
    BookingFactory(event=event, places=4)
    BookingFactory(event=event, places=3)
    staff = client_for("staff")
    data = form_data(world, capacity="5")
    data |= {"sessions-INITIAL_FORMS": "1"}
    response = staff.post(f"{MANAGE}{event.pk}/edit/", data)
    assert response.status_code == 200
    assert "7 places are already booked, so the event needs at least 7 places." in summary(
        response.content.decode()
    )
    event.refresh_from_db()
    assert event.capacity == 10
    assert event.status == EventStatus.PUBLISHED


def test_the_managed_event_counts_places(client_for, world):
    event = EventFactory(hub=world.hub, capacity=10, cluster=world.cluster)
    BookingFactory(event=event, places=4)
    BookingFactory(event=event, places=2, status=BookingStatus.WAITING)
    html = client_for("coordinator").get(f"{MANAGE}{event.pk}/").content.decode()
    assert "4 of 10 booked, 6 left; 2 waiting" in html


@pytest.mark.parametrize("who", ["coordinator", "partner", "outsider"])
def test_others_cannot_open_another_clusters_event_form(client_for, world, who):
    event = EventFactory(hub=world.hub, cluster=world.other_cluster)
    assert client_for(who).get(f"{MANAGE}{event.pk}/edit/").status_code in (403, 404)


def test_the_whats_on_search_finds_a_typed_venue(client, world):
    EventFactory(hub=world.hub, title="Evensong", venue_name="Salisbury Cathedral")
    EventFactory(hub=world.hub, title="Elsewhere")
    response = client.get(WHATS_ON, {"q": "cathedral"})
    assert [e.title for e in response.context["page"].object_list] == ["Evensong"]
    assert "Salisbury Cathedral" in response.content.decode()


def test_the_event_page_says_when_few_places_are_left(client, world):
    event = EventFactory(hub=world.hub, capacity=5)
    BookingFactory(event=event, places=3)
    html = client.get(f"{WHATS_ON}{event.pk}/").content.decode()
    assert "2 places left: a booking for more joins the waiting list." in html

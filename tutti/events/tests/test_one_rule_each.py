"""Each events rule in one place (issue 11): errors carry their own status, an event's address
is built one way, pages and the API share the access rules, and a superuser's stand-in
membership (which has no row) is no special case."""

import json
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from tutti.accounts.tests.factories import UserFactory
from tutti.core.errors import ConflictError, DomainError
from tutti.core.urls import absolute_url
from tutti.events.emails import booking_email
from tutti.events.models import EventStatus
from tutti.events.services import BookingError, EventError, EventStateError
from tutti.events.tests.factories import BookingFactory, EventFactory

API = "/api/hubs/wiltshire/events"
EVENTS = Path(settings.BASE_DIR) / "tutti" / "events"


def test_the_errors_state_their_status():
    assert isinstance(EventError("x"), DomainError)
    assert EventError("x").status == 400
    assert isinstance(BookingError("x"), DomainError)
    assert BookingError("x").status == 400
    clash = EventStateError("Already cancelled.")
    assert isinstance(clash, EventError)
    assert isinstance(clash, ConflictError)
    assert (clash.status, str(clash)) == (409, "Already cancelled.")


def test_publishing_a_finished_draft_is_a_409_with_the_services_words(client_for, world):
    past = timezone.now() - timedelta(days=2)
    event = EventFactory(
        hub=world.hub,
        status=EventStatus.DRAFT,
        published_at=None,
        starts_at=past,
        ends_at=past + timedelta(hours=2),
    )
    response = client_for("staff").post(f"{API}/{event.pk}/publish")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This event has already finished, so it cannot be published."
    )


def test_a_rule_on_an_events_details_is_still_a_400(client_for, world):
    event = EventFactory(hub=world.hub, capacity=10)
    BookingFactory.create_batch(3, event=event)
    response = client_for("staff").patch(
        f"{API}/{event.pk}", json.dumps({"capacity": 2}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("3 places are already booked")


def test_every_link_to_an_event_is_its_absolute_url(client, world, settings):
    settings.SITE_URL = "https://tutti.example.org"
    event = EventFactory(hub=world.hub, is_online=True)
    path = event.get_absolute_url()
    assert path == f"/wiltshire/whats-on/{event.pk}/"
    # With a request, the request's host: the API and the event's page (its JSON-LD).
    assert client.get(f"{API}/{event.pk}").json()["url"] == f"http://testserver{path}"
    html = client.get(path).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(script.group(1))["url"] == f"http://testserver{path}"
    # Without one, SITE_URL: calendars and emails.
    ics = Calendar.from_ical(client.get(f"{path}event.ics").content)
    (item,) = ics.walk("VEVENT")
    assert str(item["url"]) == absolute_url(path) == f"https://tutti.example.org{path}"
    body = booking_email(BookingFactory(event=event), "confirmed").body
    assert f"https://tutti.example.org{path}" in body


def test_no_events_code_builds_an_events_address_by_hand():
    offenders = []
    for file in sorted(EVENTS.rglob("*.py")):
        if "tests" in file.parts or file.name == "models.py":
            continue
        text = file.read_text(encoding="utf-8")
        if re.search(r"""["']events:detail["']|whats-on/\{""", text):
            offenders.append(str(file.relative_to(EVENTS)))
    assert offenders == [], "Use Event.get_absolute_url: " + ", ".join(offenders)


def test_a_superusers_stand_in_membership_books_with_no_organisation(client, world):
    event = EventFactory(hub=world.hub)
    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert response.context["membership"].is_stand_in
    initial = response.context["form"].initial
    assert initial["email"] == boss.email
    assert "organisation_name" not in initial


def test_the_whats_on_and_the_directory_share_one_search_form(client, world):
    whats_on = client.get("/wiltshire/whats-on/").content.decode()
    directory = client.get("/wiltshire/directory/").content.decode()
    for html, label in ((whats_on, "Search the What's On"), (directory, "Search the directory")):
        assert f'<form method="get" class="filters" role="search" aria-label="{label}">' in html
        assert '<a href="?" class="button secondary">Clear</a>' in html


def test_the_manage_list_says_whose_events_it_shows(client_for, world):
    for who, lead in (
        ("admin", "Every event of the hub"),
        ("staff", "Every event of the hub"),
        ("coordinator", "The events of the clusters you coordinate"),
        ("partner", "The events of the clusters you coordinate"),
    ):
        html = client_for(who).get("/wiltshire/manage/events/").content.decode()
        assert lead in html, who

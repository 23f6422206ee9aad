"""Words and wayfinding: what the hub home and the header offer, and only actions allowed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tutti.events.models import EventStatus
from tutti.events.tests.factories import EventFactory


def test_the_hub_home_lists_upcoming_events_soonest_first(client, world):
    EventFactory(hub=world.hub, title="Later concert", starts_at=timezone.now() + timedelta(9))
    EventFactory(hub=world.hub, title="Sooner meeting", starts_at=timezone.now() + timedelta(2))
    EventFactory(hub=world.hub, title="A draft", status=EventStatus.DRAFT, published_at=None)
    EventFactory(hub=world.other_hub, title="Another hub's")
    html = client.get("/wiltshire/").content.decode()
    assert "Coming up" in html
    assert html.index("Sooner meeting") < html.index("Later concert")
    assert "A draft" not in html
    assert "Another hub&#x27;s" not in html


def test_the_hub_home_says_when_nothing_is_planned(client, world):
    assert "Nothing is planned yet." in client.get("/wiltshire/").content.decode()


def test_the_hub_home_leads_families_to_what_they_can_ask_for_without_an_account(client, world):
    html = client.get("/wiltshire/").content.decode()
    for link in [
        'href="/wiltshire/instruments/">Ask for an instrument',
        'href="/wiltshire/transition/passport/"',
        'href="/wiltshire/competitions/"',
        'href="/wiltshire/newsletters/"',
    ]:
        assert link in html, link


def test_your_bookings_is_in_the_header_when_signed_in(client_for, world):
    html = client_for("plain").get("/wiltshire/").content.decode()
    assert '<a href="/wiltshire/whats-on/my-bookings/">Your bookings</a>' in html
    assert "Your bookings" not in client_for("anonymous").get("/wiltshire/").content.decode()


@pytest.mark.parametrize(
    ("who", "sees_edit"),
    [("staff", True), ("partner", True), ("coordinator", False), ("plain", False)],
)
def test_the_organisation_page_offers_edit_only_to_those_who_may(client_for, world, who, sees_edit):
    client = client_for(who)
    html = client.get(f"/wiltshire/directory/{world.partner.pk}/").content.decode()
    edit_url = f"/wiltshire/manage/directory/{world.partner.pk}/edit/"
    assert (edit_url in html) is sees_edit
    if sees_edit:
        assert client.get(edit_url).status_code == 200


def test_a_coordinator_is_told_their_role_in_plain_english(client_for, world):
    html = client_for("coordinator").get("/wiltshire/manage/").content.decode()
    assert "You are a cluster coordinator in this hub." in html
    html = client_for("staff").get("/wiltshire/manage/").content.decode()
    assert "You are hub staff in this hub." in html
    assert "1 school and 1 partner organisation." in html

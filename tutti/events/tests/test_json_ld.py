"""The event page's schema.org address: what the directory knows, nothing empty."""

import json
import re

from tutti.directory.tests.factories import OrganisationFactory
from tutti.events.tests.factories import EventFactory


def json_ld(client, event) -> dict:
    html = client.get(f"/wiltshire/whats-on/{event.pk}/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script.group(1))


def test_the_address_has_the_street_and_town_the_directory_has(client, world):
    world.school.address = "Long Street"
    world.school.save(update_fields=["address"])
    event = EventFactory(hub=world.hub, venue=world.school, is_online=False)
    assert json_ld(client, event)["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Long Street",
        "addressLocality": "Devizes",
        "postalCode": "SN10 1AA",
        "addressCountry": "GB",
    }


def test_a_venue_without_a_town_takes_its_postcode_districts_and_no_empty_street(client, world):
    venue = OrganisationFactory(
        hub=world.hub, name="Music Centre", address="", town="", postcode="BA15 1DZ"
    )
    event = EventFactory(hub=world.hub, venue=venue, is_online=False)
    address = json_ld(client, event)["location"]["address"]
    assert address == {
        "@type": "PostalAddress",
        "addressLocality": "Bradford-on-Avon",
        "postalCode": "BA15 1DZ",
        "addressCountry": "GB",
    }


def test_a_venue_with_nothing_but_a_name_has_no_empty_fields(client, world):
    venue = OrganisationFactory(hub=world.hub, name="Somewhere", town="", postcode="")
    event = EventFactory(hub=world.hub, venue=venue, is_online=False)
    address = json_ld(client, event)["location"]["address"]
    assert address == {"@type": "PostalAddress", "addressCountry": "GB"}
    assert "" not in address.values()

"""An event as schema.org JSON-LD, for search engines and the apps that read an event's page."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tutti.directory.postcodes import postcode_district
from tutti.events.models import Event, EventSession


def _locations(event: Event, url: str) -> list[dict]:
    offline = event.has_venue
    locations = []
    if offline and event.venue_id is None:
        locations.append(
            {
                "@type": "Place",
                "name": event.venue_name,
                "address": {"@type": "PostalAddress", "streetAddress": event.venue_address},
            }
        )
    elif offline and event.venue is not None:
        venue = event.venue
        # The town, when the directory has none, is the post town of the postcode's district.
        district = postcode_district(venue.postcode)
        address = {
            "streetAddress": venue.address,
            "addressLocality": venue.town or (district.town if district else ""),
            "postalCode": venue.postcode,
        }
        locations.append(
            {
                "@type": "Place",
                "name": venue.name,
                "address": {
                    "@type": "PostalAddress",
                    **{key: value for key, value in address.items() if value},
                    "addressCountry": "GB",
                },
            }
        )
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": url})
    return locations


def event_json_ld(event: Event, sessions: list[EventSession], url: str) -> SafeString:
    """schema.org Event, for the page at ``url`` (``event.get_absolute_url()``, in full):
    ready to go inside ``<script type="application/ld+json">``."""
    offline = event.has_venue
    mode = (
        "MixedEventAttendanceMode"
        if offline and event.is_online
        else "OnlineEventAttendanceMode"
        if event.is_online
        else "OfflineEventAttendanceMode"
    )
    locations = _locations(event, url)
    places_left = getattr(event, "places_left", None)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": url,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": event.organiser.name if event.organiser is not None else event.hub.name,
        },
        "offers": {
            "@type": "Offer",
            "price": f"{event.price:.2f}",
            "priceCurrency": "GBP",
            "url": url,
            "availability": "https://schema.org/"
            + ("SoldOut" if places_left is not None and places_left <= 0 else "InStock"),
        },
    }
    if len(sessions) > 1:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": s.title or f"{event.title}, session {n}",
                "startDate": timezone.localtime(s.starts_at).isoformat(),
                "endDate": timezone.localtime(s.ends_at).isoformat(),
            }
            for n, s in enumerate(sessions, start=1)
        ]
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # As json_script does: nothing in the data can close the script element.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    # JavaScript before ES2019 ends a string at these two; some readers still do.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(text)  # noqa: S308 - escaped above

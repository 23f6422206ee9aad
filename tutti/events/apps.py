from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "tutti.events"
    label = "events"
    verbose_name = "What's On"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.events import signals  # noqa: F401
        from tutti.events.models import Booking, Event, EventCategory, EventSession

        # What public pages show (tutti/core/page_cache.py): places left come from bookings.
        watch(Event)
        watch(EventSession, lambda session: session.event.hub_id)
        watch(Booking, lambda booking: booking.event.hub_id)
        # A category with no hub is offered by every hub.
        watch(EventCategory)

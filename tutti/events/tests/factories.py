from datetime import timedelta

import factory
from django.utils import timezone

from tutti.directory.tests.factories import HubFactory
from tutti.events.models import Booking, BookingStatus, Event, EventSession, EventStatus


class EventFactory(factory.django.DjangoModelFactory):
    """A published event a fortnight away, with one session. Pass ``sessions=[(start, end), …]``
    for a series, or ``sessions=[]`` for none."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    hub = factory.SubFactory(HubFactory)
    title = factory.Sequence(lambda n: f"Event {n}")
    summary = "Share ideas and plan the term's music together."
    category = factory.LazyAttribute(lambda o: o.hub.event_categories.get(slug="cluster-meetings"))
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=14)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    is_online = True
    status = EventStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if not create:
            return
        times = [(self.starts_at, self.ends_at)] if extracted is None else extracted
        for starts_at, ends_at in times:
            EventSession.objects.create(event=self, starts_at=starts_at, ends_at=ends_at)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Booker {n}")
    email = factory.Sequence(lambda n: f"booker{n}@example.org")
    organisation_name = "Devizes Primary School"
    status = BookingStatus.CONFIRMED

"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django_tasks import task

from tutti.events.models import Booking


@task()
def send_booking_email(*, booking_id: int, kind: str) -> None:
    """Email the booker: their place, the waiting list, a place come up, or a cancellation."""
    from tutti.events.emails import booking_email

    booking = (
        Booking.objects.select_related(
            "event__hub", "event__venue", "event__category", "event__organiser"
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return
    booking_email(booking, kind).send()

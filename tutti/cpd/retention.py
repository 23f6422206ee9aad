"""How long a CPD network keeps people who are no longer in it. The rule is registered in
tutti/privacy/retention.py, which lists every app's rule."""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from tutti.cpd.models import MemberStatus, NetworkMember
from tutti.directory.models import Hub


def delete_old_network_places(hub: Hub, now: datetime) -> int:
    """A place in a network holds a name, an address and a school. A request refused, an
    invitation never accepted, or a member who left is kept for as long as the hub keeps
    bookings, then deleted; their posts stay, signed "a former member". A place with a
    supply-cover claim is kept with the claim, which is a record of a payment."""
    cutoff = now - relativedelta(months=hub.retention_booking_months)
    places = NetworkMember.objects.filter(
        network__hub=hub,
        status__in=[MemberStatus.REFUSED, MemberStatus.INVITED, MemberStatus.LEFT],
        updated_at__lt=cutoff,
        claims__isnull=True,
    )
    deleted = places.count()
    NetworkMember.objects.filter(pk__in=list(places.values_list("pk", flat=True))).delete()
    return deleted

"""Small pieces shared by the events pages."""

from django.http import Http404, HttpResponse

from tutti.events import selectors
from tutti.events.models import Event
from tutti.tenancy.request import HubRequest


def private(response: HttpResponse) -> HttpResponse:
    # A booking's page carries a name and an email address: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public_event_or_404(request: HubRequest, pk: int) -> Event:
    event = selectors.event_get(hub=request.hub, pk=pk)
    if event is None:
        raise Http404("No such event in this hub's What's On.")
    return event

"""Every operation's body is a JSON object: anything else is a 422 that names the problem and
changes nothing."""

import pytest

from tutti.clusters.models import Cluster
from tutti.events.tests.factories import EventFactory

HUB = "/api/hubs/wiltshire"
NOT_OBJECTS = ["[null, null]", "[]", "null", "42", '"text"', "true", '[{"name": "x"}]']


def _targets(world):
    event = EventFactory(hub=world.hub, cluster=world.cluster)
    return {
        "cluster": ("PATCH", f"{HUB}/clusters/{world.cluster.pk}"),
        "event": ("PATCH", f"{HUB}/events/{event.pk}"),
        "organisation": ("PATCH", f"{HUB}/organisations/{world.partner.pk}"),
        "new cluster": ("POST", f"{HUB}/clusters"),
        "new event": ("POST", f"{HUB}/events"),
        "event cancel": ("POST", f"{HUB}/events/{event.pk}/cancel"),
    }


@pytest.mark.parametrize("body", NOT_OBJECTS)
@pytest.mark.parametrize(
    "target", ["cluster", "event", "organisation", "new cluster", "new event", "event cancel"]
)
def test_a_body_that_is_not_an_object_is_422(client_for, world, target, body):
    method, url = _targets(world)[target]
    before = list(Cluster.objects.values())
    response = client_for("staff").generic(method, url, data=body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"].startswith("The request body must be a JSON object")
    assert list(Cluster.objects.values()) == before


def test_an_empty_object_still_changes_nothing_and_is_accepted(client_for, world):
    response = client_for("staff").generic(
        "PATCH", f"{HUB}/clusters/{world.cluster.pk}", data="{}", content_type="application/json"
    )
    assert response.status_code == 200

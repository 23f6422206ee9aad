"""The fields that decide who owns an object follow the same rule in the API as on the pages.

An event's cluster and organiser decide who may manage it and download its attendee list, so
someone who is not hub staff may give an event only their own cluster or organisation (or keep
what it has). Each case is tried through the API and through the staff form.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tutti.accounts.tests.factories import MembershipFactory
from tutti.clusters.tests.factories import ClusterFactory
from tutti.core.tests.helpers import send
from tutti.directory.tests.factories import OrganisationFactory
from tutti.events.models import Event
from tutti.events.tests.factories import BookingFactory, EventFactory

HUB = "/api/hubs/wiltshire"


@pytest.fixture
def others(world):
    """Another coordinator's cluster, and another partner of the same hub."""
    rival = MembershipFactory(hub=world.hub, role="coordinator").user
    return {
        "cluster": ClusterFactory(hub=world.hub, name="Salisbury", coordinator=rival),
        "partner": OrganisationFactory(hub=world.hub, name="Salisbury Arts Centre"),
    }


def _soon(hour):
    day = timezone.now() + timedelta(days=30)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _new_event(**fields):
    return {
        "title": "Summer sing",
        "summary": "Songs for the summer.",
        "category": "cluster-meetings",
        "is_online": True,
        "sessions": [{"starts_at": _soon(15), "ends_at": _soon(17)}],
        **fields,
    }


def _assert_refused(response, field):
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert field in response.json()["detail"]


# Creating an event.


def test_partner_cannot_create_an_event_in_another_coordinators_cluster(client_for, world, others):
    body = _new_event(organiser_id=world.partner.pk, cluster=others["cluster"].slug)
    response = send(client_for("partner"), "POST", f"{HUB}/events", body)
    _assert_refused(response, "cluster")
    assert not Event.objects.filter(title="Summer sing").exists()


def test_coordinator_cannot_create_an_event_organised_by_another_partner(client_for, world, others):
    body = _new_event(cluster=world.cluster.slug, organiser_id=others["partner"].pk)
    response = send(client_for("coordinator"), "POST", f"{HUB}/events", body)
    _assert_refused(response, "organisation")
    assert not Event.objects.filter(title="Summer sing").exists()


def test_partner_and_coordinator_create_events_of_their_own(client_for, world):
    body = _new_event(organiser_id=world.partner.pk)
    assert send(client_for("partner"), "POST", f"{HUB}/events", body).status_code == 201
    body = _new_event(cluster=world.cluster.slug)
    assert send(client_for("coordinator"), "POST", f"{HUB}/events", body).status_code == 201


def test_staff_may_give_an_event_any_cluster_and_organiser(client_for, world, others):
    body = _new_event(cluster=others["cluster"].slug, organiser_id=others["partner"].pk)
    assert send(client_for("staff"), "POST", f"{HUB}/events", body).status_code == 201


# Changing an event's owners.


def test_partner_cannot_move_their_event_into_another_coordinators_cluster(
    client_for, world, others
):
    event = EventFactory(hub=world.hub, organiser=world.partner)
    BookingFactory(event=event, email="parent@example.org")
    url = f"{HUB}/events/{event.pk}"
    response = send(client_for("partner"), "PATCH", url, {"cluster": others["cluster"].slug})
    _assert_refused(response, "cluster")
    event.refresh_from_db()
    assert event.cluster is None
    # So that coordinator still cannot read the attendee list.
    rival = others["cluster"].coordinator
    client = client_for("anonymous")
    client.force_login(rival)
    assert client.get(f"{url}/bookings").status_code == 403


def test_coordinator_cannot_hand_their_event_to_another_partner(client_for, world, others):
    event = EventFactory(hub=world.hub, cluster=world.cluster)
    response = send(
        client_for("coordinator"),
        "PATCH",
        f"{HUB}/events/{event.pk}",
        {"organiser_id": others["partner"].pk},
    )
    _assert_refused(response, "organisation")
    event.refresh_from_db()
    assert event.organiser is None


def test_coordinator_cannot_move_their_event_to_another_cluster(client_for, world, others):
    event = EventFactory(hub=world.hub, cluster=world.cluster, organiser=world.partner)
    response = send(
        client_for("coordinator"),
        "PATCH",
        f"{HUB}/events/{event.pk}",
        {"cluster": others["cluster"].slug},
    )
    _assert_refused(response, "cluster")
    event.refresh_from_db()
    assert event.cluster == world.cluster


def test_partner_cannot_give_away_their_organisation_and_keep_a_cluster_they_do_not_run(
    client_for, world
):
    event = EventFactory(hub=world.hub, cluster=world.cluster, organiser=world.partner)
    response = send(
        client_for("partner"), "PATCH", f"{HUB}/events/{event.pk}", {"organiser_id": None}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.organiser == world.partner


def test_what_an_event_already_has_may_be_kept(client_for, world):
    """Staff put the coordinator's event with the partner: the coordinator may still edit it,
    sending the organiser back unchanged."""
    event = EventFactory(hub=world.hub, cluster=world.cluster, organiser=world.partner)
    response = send(
        client_for("coordinator"),
        "PATCH",
        f"{HUB}/events/{event.pk}",
        {"capacity": 30, "organiser_id": world.partner.pk, "cluster": world.cluster.slug},
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.capacity == 30


# The staff form follows the same rule.


def _form_data(event, **changes):
    start = timezone.localtime(event.starts_at)
    data = {
        "title": event.title,
        "summary": event.summary,
        "category": event.category_id,
        "cluster": event.cluster_id or "",
        "organiser": event.organiser_id or "",
        "is_online": "on",
        "price": "0",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "12",
        "sessions-0-date": start.date().isoformat(),
        "sessions-0-start": "15:00",
        "sessions-0-end": "17:00",
    }
    return data | changes


def test_the_form_refuses_another_coordinators_cluster(client_for, world, others):
    event = EventFactory(hub=world.hub, organiser=world.partner)
    client = client_for("partner")
    url = f"/wiltshire/manage/events/{event.pk}/edit/"
    response = client.post(url, _form_data(event, cluster=others["cluster"].pk))
    assert response.status_code == 200
    assert "cluster" in response.context["form"].errors
    event.refresh_from_db()
    assert event.cluster is None


def test_the_form_offers_only_own_clusters_and_organisations_and_what_the_event_has(
    client_for, world, others
):
    event = EventFactory(hub=world.hub, cluster=world.cluster, organiser=world.partner)
    response = client_for("coordinator").get(f"/wiltshire/manage/events/{event.pk}/edit/")
    form = response.context["form"]
    assert list(form.fields["cluster"].queryset) == [world.cluster]
    assert list(form.fields["organiser"].queryset) == [world.partner]
    response = client_for("coordinator").post(
        f"/wiltshire/manage/events/{event.pk}/edit/", _form_data(event, title="Renamed")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.organiser) == ("Renamed", world.partner)

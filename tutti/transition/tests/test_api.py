"""The feeders' JSON API: the pages' rules, answered in JSON."""

from tutti.core.tests.helpers import send
from tutti.directory.tests.factories import SchoolFactory
from tutti.transition.models import FeederDecision
from tutti.transition.tests.factories import music_lead_of, secondary_of

API = "/api/hubs/wiltshire/transition"


def test_staff_list_the_feeders_with_distance_and_reasons(client_for, world):
    school = secondary_of(world)
    response = client_for("staff").get(f"{API}/{school.urn}/feeders")
    assert response.status_code == 200
    body = response.json()
    assert "2 nearest" in body["rule"]
    (feeder,) = body["feeders"]
    assert feeder["urn"] == world.school.urn
    assert feeder["distance_km"] == 1.0
    assert feeder["state"] == "suggested"


def test_a_coordinator_removes_a_feeder(client_for, world):
    school = secondary_of(world)
    url = f"{API}/{school.urn}/feeders/{world.school.urn}"
    response = send(client_for("coordinator"), "PUT", url, {"state": "removed"})
    assert response.status_code == 200
    assert response.json()["state"] == "removed"
    assert FeederDecision.objects.get().state == "removed"


def test_bad_feeders_are_refused_in_json_and_nothing_is_stored(client_for, world):
    school = secondary_of(world)
    other_secondary = SchoolFactory(phase="Secondary", local_authority=world.la)
    client = client_for("staff")
    response = send(
        client, "PUT", f"{API}/{school.urn}/feeders/{other_secondary.urn}", {"state": "confirmed"}
    )
    assert response.status_code == 400
    assert "is not a primary school" in response.json()["detail"]
    response = send(
        client,
        "PUT",
        f"{API}/{school.urn}/feeders/{world.other_school.urn}",
        {"state": "confirmed"},
    )
    assert response.status_code == 404
    response = send(client, "PUT", f"{API}/{school.urn}/feeders/{world.school.urn}", {"state": "x"})
    assert response.status_code == 422
    # A primary is not a secondary: it has no feeders.
    assert client.get(f"{API}/{world.school.urn}/feeders").status_code == 404
    assert not FeederDecision.objects.exists()


def test_a_music_lead_gets_404_for_another_schools_feeders(client, world):
    mine = SchoolFactory(phase="Secondary", local_authority=world.la)
    client.force_login(music_lead_of(world.hub, mine).user)
    school = secondary_of(world)
    assert client.get(f"{API}/{school.urn}/feeders").status_code == 404
    assert client.get(f"{API}/{mine.urn}/feeders").status_code == 200
    url = f"{API}/{school.urn}/feeders/{world.school.urn}"
    assert send(client, "PUT", url, {"state": "removed"}).status_code == 404
    assert not FeederDecision.objects.exists()

"""Feeder schools: suggested from the register and the clusters, then confirmed, added or
removed by hub staff, the cluster's coordinator or the school's music lead."""

import pytest

from tutti.directory.tests.factories import SchoolFactory
from tutti.transition import selectors
from tutti.transition.models import FeederDecision, FeederState
from tutti.transition.services import TransitionError, feeder_set
from tutti.transition.tests.factories import music_lead_of, secondary_of


@pytest.fixture
def area(world):
    """The world's secondary, another secondary 10 km north, and primaries around them."""
    near = secondary_of(world)
    far = SchoolFactory(
        name="Northern Academy", phase="Secondary", local_authority=world.la, latitude=51.45
    )
    # Just south of Devizes School: its nearest secondary is Devizes School.
    close = SchoolFactory(
        name="Southbrook Primary", local_authority=world.la, latitude=51.34, longitude=-1.99
    )
    # Far north, beyond Northern Academy: Devizes School is its second nearest.
    north = SchoolFactory(
        name="Northfield Primary", local_authority=world.la, latitude=51.5, longitude=-1.99
    )
    return near, far, close, north


def test_each_primary_is_suggested_to_its_nearest_secondaries_with_the_distance(world, area):
    near = area[0]
    rows = {r.primary.name: r for r in selectors.feeder_rows(hub=world.hub, secondary=near)}
    assert rows["Southbrook Primary"].reasons == ["Its nearest secondary school"]
    assert rows["Southbrook Primary"].distance_km == pytest.approx(2.1, abs=0.1)
    assert rows["Northfield Primary"].reasons == ["Its second nearest secondary school"]
    # The world's primary is both near and in the secondary's cluster.
    assert rows["Devizes Primary School"].reasons == [
        "Its nearest secondary school",
        "In the Devizes area cluster",
    ]
    assert all(r.state == "suggested" for r in rows.values())


def test_a_cluster_with_one_secondary_suggests_its_primaries(world, area):
    near = area[0]
    # In another of the hub's local authorities, so never among the nearest.
    far_primary = SchoolFactory(name="Far Cluster Primary", latitude=52.5)
    world.hub.local_authorities.add(far_primary.local_authority)
    world.cluster.memberships.create(organisation=far_primary)
    rows = {r.primary.name: r for r in selectors.feeder_rows(hub=world.hub, secondary=near)}
    assert rows["Far Cluster Primary"].reasons == ["In the Devizes area cluster"]
    # Once the cluster has a second secondary school, it no longer says which one.
    world.cluster.memberships.create(organisation=area[1])
    rows = {r.primary.name: r for r in selectors.feeder_rows(hub=world.hub, secondary=near)}
    assert "Far Cluster Primary" not in rows


def test_a_school_in_another_local_authority_is_never_suggested(world, area):
    near = area[0]
    SchoolFactory(name="Over The Border Primary", latitude=51.36, longitude=-1.99)
    names = {r.primary.name for r in selectors.feeder_rows(hub=world.hub, secondary=near)}
    assert "Over The Border Primary" not in names


def test_the_page_says_how_the_suggestion_is_made(client_for, world, area):
    near = area[0]
    response = client_for("staff").get(f"/wiltshire/manage/transition/{near.urn}/feeders/")
    text = response.content.decode()
    assert "How the suggestion is made" in text
    assert "2 nearest" in text and "straight line" in text
    assert "Southbrook Primary" in text and "2.1 km" in text


def test_a_coordinator_removes_a_feeder_and_the_picture_changes(client_for, world, area):
    from tutti.core.years import current_academic_year
    from tutti.participation.tests.factories import WcetFactory

    near, _, close, _ = area
    WcetFactory(hub=world.hub, school=close, year=current_academic_year(), pupils=40)
    client = client_for("coordinator")
    picture = f"/wiltshire/manage/transition/{near.urn}/"

    def wcet_pupils():
        return client.get(picture).context["picture"].years[0].wcet_pupils

    assert wcet_pupils() == 40

    response = client.post(f"{picture}feeders/", {"primary": close.pk, "state": "removed"})
    assert response.status_code == 302
    decision = FeederDecision.objects.get(secondary=near, primary=close)
    assert decision.state == FeederState.REMOVED
    assert decision.decided_by == world.users["coordinator"]
    assert wcet_pupils() == 0

    client.post(f"{picture}feeders/", {"primary": close.pk, "state": "confirmed"})
    assert wcet_pupils() == 40


def test_staff_add_a_primary_by_hand(client_for, world, area):
    near = area[0]
    # In another of the hub's local authorities, so never suggested.
    added = SchoolFactory(name="Faraway Primary", latitude=52.0)
    world.hub.local_authorities.add(added.local_authority)
    response = client_for("staff").post(
        f"/wiltshire/manage/transition/{near.urn}/feeders/", {"add": "1", "primary": added.pk}
    )
    assert response.status_code == 302
    rows = {r.primary.name: r for r in selectors.feeders_of(hub=world.hub, secondary=near)}
    assert rows["Faraway Primary"].state == "confirmed"
    assert rows["Faraway Primary"].added


def test_a_secondary_cannot_be_a_feeder(client_for, world, area):
    near, far, _, _ = area
    response = client_for("staff").post(
        f"/wiltshire/manage/transition/{near.urn}/feeders/", {"add": "1", "primary": far.pk}
    )
    assert response.status_code == 400
    assert "Northern Academy is not a primary school" in response.content.decode()
    assert not FeederDecision.objects.exists()


def test_a_school_outside_the_hub_cannot_be_a_feeder(client_for, world, area):
    near = area[0]
    url = f"/wiltshire/manage/transition/{near.urn}/feeders/"
    client = client_for("staff")
    response = client.post(url, {"add": "1", "primary": world.other_school.pk})
    assert response.status_code == 400
    assert "Choose a primary school of this hub" in response.content.decode()
    response = client.post(url, {"primary": world.other_school.pk, "state": "confirmed"})
    assert response.status_code == 400
    assert "is not in this hub" in response.content.decode()
    response = client.post(url, {"primary": "nonsense", "state": "sideways"})
    assert response.status_code == 400
    assert not FeederDecision.objects.exists()


def test_the_service_refuses_a_feeder_for_a_primary(world, area):
    _, _, close, north = area
    with pytest.raises(TransitionError, match="not a secondary school"):
        feeder_set(
            hub=world.hub,
            secondary=close,
            primary=north,
            state="confirmed",
            by=world.users["staff"],
        )


def test_the_secondary_music_lead_changes_their_own_feeders_only(client, world, area):
    near, far, close, _ = area
    client.force_login(music_lead_of(world.hub, near).user)
    url = f"/wiltshire/manage/transition/{near.urn}/feeders/"
    assert client.post(url, {"primary": close.pk, "state": "confirmed"}).status_code == 302
    other = f"/wiltshire/manage/transition/{far.urn}/feeders/"
    assert client.get(other).status_code == 404
    assert client.post(other, {"primary": close.pk, "state": "confirmed"}).status_code == 404
    assert FeederDecision.objects.filter(secondary=far).count() == 0


def test_a_coordinator_gets_404_for_a_secondary_outside_their_clusters(client_for, world, area):
    far = area[1]
    client = client_for("coordinator")
    assert client.get(f"/wiltshire/manage/transition/{far.urn}/").status_code == 404
    assert client.get(f"/wiltshire/manage/transition/{far.urn}/feeders/").status_code == 404


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Year 4", [4]),
        ("Years 4-5", [4, 5]),
        ("Years 3 to 5", [3, 4, 5]),
        ("Y3 and Y5", [3, 5]),
        ("Key stage 2", [2]),
        ("mixed", []),
    ],
)
def test_year_groups_are_read_from_the_records_words(text, groups):
    assert selectors.year_groups(text) == groups

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tutti.accounts.models import Invitation, Membership, Role, User
from tutti.accounts.tests.factories import UserFactory
from tutti.clusters.models import Cluster, ClusterMember
from tutti.clusters.tests.factories import ClusterFactory, ClusterMemberFactory
from tutti.core.models import AuditLog
from tutti.core.tests.helpers import errors_by_field, send
from tutti.directory.tests.factories import SchoolFactory

HUB = "/api/hubs/wiltshire"


# Reads


def test_cluster_list_shows_coordinators_contacts_and_member_counts(client, world):
    response = client.get(f"{HUB}/clusters")
    assert response.status_code == 200
    clusters = {c["slug"]: c for c in response.json()}
    assert set(clusters) == {"devizes-area", "chippenham"}
    devizes = clusters["devizes-area"]
    coordinator = world.users["coordinator"]
    assert devizes["coordinator"] == coordinator.get_full_name()
    assert devizes["coordinator_display"] == coordinator.get_full_name()
    assert devizes["contact_email"] == world.cluster.contact_email
    assert devizes["member_count"] == 1
    assert devizes["id"] == world.cluster.pk
    chippenham = clusters["chippenham"]
    assert chippenham["coordinator"] is None
    assert chippenham["coordinator_display"] == "Vacant (TBC)"
    assert chippenham["member_count"] == 0


def test_cluster_list_uses_a_fixed_number_of_queries(client, world):
    def queries_for(rows):
        Cluster.objects.filter(hub=world.hub).delete()
        for _ in range(rows):
            cluster = ClusterFactory(hub=world.hub, coordinator=UserFactory())
            ClusterMemberFactory(cluster=cluster, organisation=world.school)
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{HUB}/clusters")
        assert len(response.json()) == rows
        return len(context)

    # The hub, then the clusters with their coordinators and member counts.
    assert queries_for(3) == queries_for(30) == 2


def test_cluster_detail_lists_its_members(client, world):
    response = client.get(f"{HUB}/clusters/devizes-area")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Devizes area"
    assert body["member_count"] == 1
    assert body["members"] == [
        {
            "id": world.school.pk,
            "name": "Devizes Primary School",
            "kind": "school",
            "kind_display": "School",
            "town": "Devizes",
            "postcode": "SN10 1AA",
            "urn": 126000,
            "latitude": 51.35,
            "longitude": -1.99,
        }
    ]


@pytest.mark.parametrize("slug", ["fenland", "nowhere"])
def test_cluster_detail_of_another_hub_or_unknown_is_404(client, world, slug):
    response = client.get(f"{HUB}/clusters/{slug}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such cluster in this hub."


# Create and update


def test_staff_create_a_cluster(client_for, world):
    body = {"name": "Marlborough", "area": "Marlborough and Pewsey", "contact_email": "m@x.org"}
    response = send(client_for("staff"), "POST", f"{HUB}/clusters", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["slug"] == "marlborough"
    assert created["coordinator_display"] == "Vacant (TBC)"
    assert created["members"] == []
    assert Cluster.objects.get(pk=created["id"]).hub == world.hub
    assert AuditLog.objects.filter(action="clusters.cluster.created").exists()


def test_create_with_a_name_in_use_is_409(client_for, world):
    response = send(client_for("staff"), "POST", f"{HUB}/clusters", {"name": "devizes AREA"})
    assert response.status_code == 409
    assert response.json()["detail"] == "There is already a cluster called devizes AREA."


def test_the_same_name_in_another_hub_is_fine(client_for, world):
    response = send(client_for("staff"), "POST", f"{HUB}/clusters", {"name": "Fenland"})
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "name"),
        ({"name": ""}, 400, "name"),
        ({"name": "Marlborough", "contact_email": "nope"}, 400, "contact_email"),
        ({"name": "M" * 151}, 400, "name"),
    ],
)
def test_create_with_bad_input_says_what_is_wrong(client_for, world, body, status, field):
    response = send(client_for("staff"), "POST", f"{HUB}/clusters", body)
    assert response.status_code == status
    assert field in errors_by_field(response)
    assert Cluster.objects.filter(hub=world.hub).count() == 2


def test_coordinator_changes_their_own_cluster(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}"
    response = send(client_for("coordinator"), "PATCH", url, {"name": "Devizes and villages"})
    assert response.status_code == 200
    assert response.json()["slug"] == "devizes-and-villages"
    world.cluster.refresh_from_db()
    assert world.cluster.name == "Devizes and villages"
    assert world.cluster.area == "Somewhere"


def test_coordinator_cannot_change_another_cluster(client_for, world):
    url = f"{HUB}/clusters/{world.other_cluster.pk}"
    response = send(client_for("coordinator"), "PATCH", url, {"area": "Calne"})
    assert response.status_code == 403
    assert response.json()["detail"] == "You can change only the clusters you coordinate."


def test_staff_cannot_change_another_hubs_cluster_through_their_hub(client_for, world):
    url = f"{HUB}/clusters/{world.other_hub_cluster.pk}"
    response = send(client_for("staff"), "PATCH", url, {"area": "Anywhere"})
    assert response.status_code == 404


def test_staff_cannot_change_another_hubs_cluster_through_that_hub(client_for, world):
    url = f"/api/hubs/cambridgeshire/clusters/{world.other_hub_cluster.pk}"
    response = send(client_for("staff"), "PATCH", url, {"area": "Anywhere"})
    assert response.status_code == 404
    world.other_hub_cluster.refresh_from_db()
    assert world.other_hub_cluster.area == "Somewhere"


def test_update_to_a_name_in_use_is_409(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}"
    response = send(client_for("staff"), "PATCH", url, {"name": "Chippenham"})
    assert response.status_code == 409


def test_update_by_slug_is_422(client_for, world):
    response = send(client_for("staff"), "PATCH", f"{HUB}/clusters/devizes-area", {"area": "x"})
    assert response.status_code == 422
    assert "cluster" in errors_by_field(response)


# Coordinator


def test_admin_appoints_a_new_coordinator_by_email_through_an_invitation(client_for, world):
    url = f"{HUB}/clusters/{world.other_cluster.pk}/coordinator"
    body = {"email": "Alex@Example.org", "first_name": "Alex", "last_name": "Player"}
    response = send(client_for("admin"), "PUT", url, body)
    assert response.status_code == 200, response.content
    assert response.json()["invited"] == "alex@example.org"
    assert response.json()["coordinator"] is None
    # The account and the role come when Alex accepts.
    assert not User.objects.filter(email="alex@example.org").exists()
    invitation = Invitation.objects.get(email="alex@example.org")
    assert invitation.role == Role.COORDINATOR
    assert invitation.cluster == world.other_cluster


def test_staff_appoint_a_team_member_as_coordinator(client_for, world):
    url = f"{HUB}/clusters/{world.other_cluster.pk}/coordinator"
    staff = world.users["staff"]
    response = send(client_for("staff"), "PUT", url, {"email": staff.email})
    assert response.status_code == 200, response.content
    assert response.json()["coordinator"] == str(staff)
    assert Membership.objects.get(hub=world.hub, user=staff).role == Role.HUB_STAFF
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.coordinator == staff


def test_staff_vacate_the_coordinator_post(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}/coordinator"
    response = send(client_for("staff"), "PUT", url, {"vacant": True})
    assert response.status_code == 200
    assert response.json()["coordinator"] is None
    assert response.json()["coordinator_display"] == "Vacant (TBC)"
    assert AuditLog.objects.filter(action="clusters.coordinator.vacated").exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "not-an-email"}, {"email": "a@example.org", "vacant": True}, {"email": " "}],
)
def test_coordinator_needs_a_valid_email_or_vacant(client_for, world, body):
    url = f"{HUB}/clusters/{world.cluster.pk}/coordinator"
    response = send(client_for("staff"), "PUT", url, body)
    assert response.status_code == 400
    assert "email" in errors_by_field(response)
    world.cluster.refresh_from_db()
    assert world.cluster.coordinator == world.users["coordinator"]


# Members


def test_coordinator_adds_a_member(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}/members"
    response = send(client_for("coordinator"), "POST", url, {"organisation_id": world.partner.pk})
    assert response.status_code == 201
    assert response.json()["name"] == "Wiltshire Music Centre"
    assert ClusterMember.objects.filter(cluster=world.cluster, organisation=world.partner).exists()


@pytest.mark.parametrize("which", ["unknown", "other_hub"])
def test_adding_an_organisation_outside_the_directory_is_400(client_for, world, which):
    pk = {"unknown": 999999, "other_hub": world.other_school.pk}[which]
    url = f"{HUB}/clusters/{world.cluster.pk}/members"
    response = send(client_for("staff"), "POST", url, {"organisation_id": pk})
    assert response.status_code == 400
    assert str(pk) in errors_by_field(response)["organisation_id"]


def test_adding_a_member_twice_is_409(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}/members"
    response = send(client_for("staff"), "POST", url, {"organisation_id": world.school.pk})
    assert response.status_code == 409
    assert "already a member" in response.json()["detail"]


def test_adding_needs_an_organisation_id(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}/members"
    response = send(client_for("staff"), "POST", url, {"organisation_id": "lots"})
    assert response.status_code == 422
    assert "organisation_id" in errors_by_field(response)


def test_coordinator_cannot_add_to_another_cluster(client_for, world):
    url = f"{HUB}/clusters/{world.other_cluster.pk}/members"
    response = send(client_for("coordinator"), "POST", url, {"organisation_id": world.school.pk})
    assert response.status_code == 403
    assert not world.other_cluster.members.exists()


def test_coordinator_removes_a_member(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}/members/{world.school.pk}"
    response = send(client_for("coordinator"), "DELETE", url)
    assert response.status_code == 204
    assert not world.cluster.members.exists()
    assert AuditLog.objects.filter(action="clusters.member.removed").exists()


def test_removing_an_organisation_that_is_not_a_member_is_404(client_for, world):
    url = f"{HUB}/clusters/{world.cluster.pk}/members/{world.partner.pk}"
    response = send(client_for("staff"), "DELETE", url)
    assert response.status_code == 404
    assert response.json()["detail"] == "Wiltshire Music Centre is not a member of Devizes area."


def test_removing_from_another_hubs_cluster_is_404(client_for, world):
    url = f"{HUB}/clusters/{world.other_hub_cluster.pk}/members/{world.other_school.pk}"
    response = send(client_for("staff"), "DELETE", url)
    assert response.status_code == 404
    assert world.other_hub_cluster.members.exists()


def test_a_closed_school_can_still_be_removed(client_for, world):
    closed = SchoolFactory(local_authority=world.la, is_open=False)
    ClusterMemberFactory(cluster=world.cluster, organisation=closed)
    url = f"{HUB}/clusters/{world.cluster.pk}/members/{closed.pk}"
    response = send(client_for("staff"), "DELETE", url)
    assert response.status_code == 204

import pytest

from tutti.accounts.models import User
from tutti.clusters import services
from tutti.clusters.models import Cluster, ClusterMember
from tutti.core.models import AuditLog
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory


def test_cluster_create_without_coordinator_is_vacant(world):
    cluster = services.cluster_create(
        hub=world.hub, by=world.users["staff"], name="Salisbury & Wilton", area="Salisbury"
    )
    assert cluster.slug == "salisbury-wilton"
    assert cluster.is_vacant
    assert cluster.coordinator_display == "Vacant (TBC)"
    assert AuditLog.objects.filter(action="clusters.cluster.created", object_id=cluster.pk).exists()


def test_cluster_names_are_unique_in_a_hub_whatever_the_case(world):
    with pytest.raises(services.ClusterError, match="already a cluster called"):
        services.cluster_create(hub=world.hub, by=None, name="DEVIZES AREA")
    # Another hub may use the same name.
    services.cluster_create(hub=world.other_hub, by=None, name="Devizes area")


def test_renaming_a_cluster_changes_its_slug_and_keeps_it_unique(world):
    services.cluster_update(cluster=world.other_cluster, by=None, name="Chippenham area")
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.slug == "chippenham-area"
    with pytest.raises(services.ClusterError):
        services.cluster_update(cluster=world.other_cluster, by=None, name="Devizes Area")


def test_appointing_a_new_person_invites_them_and_makes_no_account(world):
    invitation = services.coordinator_appoint(
        cluster=world.other_cluster,
        email="Max.Moore@Example.org",
        first_name="Max",
        last_name="Moore",
        by=None,
    )
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.is_vacant
    assert invitation.email == "max.moore@example.org"
    assert invitation.role == "coordinator"
    assert invitation.cluster == world.other_cluster
    assert not User.objects.filter(email__iexact="max.moore@example.org").exists()


def test_appointing_a_team_member_is_at_once(world):
    partner = world.users["partner"]
    invitation = services.coordinator_appoint(
        cluster=world.other_cluster, email=partner.email.upper(), by=None
    )
    assert invitation is None
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.coordinator == partner
    assert partner.memberships.get(hub=world.hub).role == "partner_staff"


def test_appointing_an_existing_member_keeps_their_role(world):
    staff = world.users["staff"]
    services.cluster_set_coordinator(cluster=world.other_cluster, coordinator=staff, by=None)
    assert staff.memberships.get(hub=world.hub).role == "hub_staff"


def test_vacating_the_post(world):
    services.cluster_set_coordinator(cluster=world.cluster, coordinator=None, by=None)
    world.cluster.refresh_from_db()
    assert world.cluster.coordinator_display == "Vacant (TBC)"
    assert AuditLog.objects.filter(action="clusters.coordinator.vacated").count() == 1


def test_members_of_any_kind_can_join(world):
    tutor = OrganisationFactory(kind="tutor", name="A violin tutor", hub=world.hub)
    services.cluster_add_member(cluster=world.cluster, organisation=tutor, by=None)
    services.cluster_add_member(cluster=world.cluster, organisation=world.partner, by=None)
    assert set(world.cluster.members.values_list("kind", flat=True)) == {
        "school",
        "tutor",
        "music_service",
    }


def test_an_organisation_outside_the_hub_cannot_join(world):
    with pytest.raises(services.ClusterError, match="not in this hub's directory"):
        services.cluster_add_member(cluster=world.cluster, organisation=world.other_school, by=None)
    assert not world.cluster.members.filter(pk=world.other_school.pk).exists()


def test_adding_twice_and_removing_a_non_member_are_refused(world):
    with pytest.raises(services.ClusterError, match="already a member"):
        services.cluster_add_member(cluster=world.cluster, organisation=world.school, by=None)
    with pytest.raises(services.ClusterError, match="not a member"):
        services.cluster_remove_member(
            cluster=world.other_cluster, organisation=world.school, by=None
        )
    services.cluster_remove_member(cluster=world.cluster, organisation=world.school, by=None)
    assert not world.cluster.members.exists()


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_bulk_assignment_moves_schools_between_clusters(world):
    second = SchoolFactory(local_authority=world.la, urn=126001)
    report = services.clusters_assign_from_csv(
        hub=world.hub,
        data=csv_bytes("URN,Cluster", "126000,Chippenham", "126001,devizes area"),
        by=world.users["staff"],
    )
    assert report.ok, report.errors
    assert (report.assigned, report.unchanged) == (2, 0)
    assert list(world.school.clusters.all()) == [world.other_cluster]
    assert list(second.clusters.all()) == [world.cluster]
    again = services.clusters_assign_from_csv(
        hub=world.hub, data=csv_bytes("urn,cluster", "126000,Chippenham"), by=None
    )
    assert (again.assigned, again.unchanged) == (0, 1)


def test_bulk_assignment_is_all_or_nothing_and_names_every_bad_row(world):
    before = list(ClusterMember.objects.values_list("cluster_id", "organisation_id"))
    report = services.clusters_assign_from_csv(
        hub=world.hub,
        data=csv_bytes(
            "URN,Cluster",
            "126000,Chippenham",
            "abc,Chippenham",
            "110000,Chippenham",
            "126000,Devizes area",
            "126000,Nowhere",
        ),
        by=None,
    )
    assert not report.ok
    assert report.errors == [
        "Row 3, URN: “abc” is not a URN (a number).",
        "Row 4, URN: no school with URN 110000 in this hub's area.",
        "Row 5, URN: 126000 is also on row 2.",
        "Row 6, URN: 126000 is also on row 2.",
    ]
    assert list(ClusterMember.objects.values_list("cluster_id", "organisation_id")) == before


def test_bulk_assignment_reports_an_unknown_cluster(world):
    report = services.clusters_assign_from_csv(
        hub=world.hub, data=csv_bytes("URN,Cluster", "126000,Fenland"), by=None
    )
    # Fenland is a cluster of the other hub: not one of ours.
    assert report.errors == ["Row 2, Cluster: there is no cluster called “Fenland”."]


def test_bulk_assignment_needs_the_two_columns(world):
    report = services.clusters_assign_from_csv(hub=world.hub, data=b"school,group\n1,2\n", by=None)
    assert report.errors == ["The file needs a header row with the columns URN and Cluster."]
    assert Cluster.objects.count() == 3

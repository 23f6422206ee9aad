import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tutti.clusters.models import Cluster
from tutti.clusters.tests.factories import ClusterFactory, ClusterMemberFactory
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory


def test_public_list_shows_coordinators_and_vacant_posts(client, world):
    world.other_cluster.coordinator = None
    world.other_cluster.save(update_fields=["coordinator"])
    html = client.get("/wiltshire/clusters/").content.decode()
    assert "Devizes area" in html
    assert str(world.users["coordinator"]) in html
    assert "Vacant (TBC)" in html
    assert world.cluster.contact_email in html
    assert "Fenland" not in html  # the other hub's cluster


def test_empty_state_when_a_hub_has_no_clusters(client, world):
    Cluster.objects.filter(hub=world.other_hub).delete()
    html = client.get("/cambridgeshire/clusters/").content.decode()
    assert "no musical clusters yet" in html


@pytest.mark.parametrize("extra_rows", [1, 12])
def test_public_list_queries_do_not_grow_with_clusters(
    client, world, django_assert_num_queries, extra_rows
):
    for _ in range(extra_rows):
        cluster = ClusterFactory(hub=world.hub, coordinator=world.users["staff"])
        ClusterMemberFactory(cluster=cluster, organisation=SchoolFactory(local_authority=world.la))
    # hub, then the clusters with their coordinators and member counts
    with django_assert_num_queries(2):
        assert client.get("/wiltshire/clusters/").status_code == 200


def test_cluster_page_lists_members_by_kind_and_draws_them_on_a_map(client, world):
    tutor = OrganisationFactory(kind="tutor", name="Devizes Guitar Tutor", hub=world.hub)
    ClusterMemberFactory(cluster=world.cluster, organisation=tutor)
    html = client.get("/wiltshire/clusters/devizes-area/").content.decode()
    assert "Schools" in html or "School" in html
    assert "Tutor" in html and "Devizes Guitar Tutor" in html
    assert html.count('class="map-point') == 2
    assert '<path d="M' in html  # Wiltshire's outline from the shipped ONS boundaries
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


@pytest.mark.parametrize("members", [2, 20])
def test_cluster_page_queries_do_not_grow_with_members(
    client, world, django_assert_num_queries, members
):
    for _ in range(members):
        ClusterMemberFactory(
            cluster=world.cluster, organisation=SchoolFactory(local_authority=world.la)
        )
    # The hub, the cluster, its upcoming meetings, its members, the hub's authorities (for the
    # outline) and the hub's other schools (drawn faint).
    with django_assert_num_queries(6):
        assert client.get("/wiltshire/clusters/devizes-area/").status_code == 200


def test_staff_create_a_cluster(client_for, world):
    response = client_for("staff").post(
        "/wiltshire/manage/clusters/new/",
        {"name": "Salisbury & Wilton", "area": "Salisbury, Wilton", "contact_email": ""},
    )
    cluster = Cluster.objects.get(hub=world.hub, name="Salisbury & Wilton")
    assert response.status_code == 302
    assert response["Location"] == f"/wiltshire/manage/clusters/{cluster.pk}/"
    assert cluster.is_vacant


def test_create_form_reshows_with_messages_and_writes_nothing(client_for, world):
    response = client_for("staff").post(
        "/wiltshire/manage/clusters/new/", {"name": "Devizes Area", "contact_email": "not-an-email"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a valid email address." in html
    assert Cluster.objects.filter(hub=world.hub).count() == 2


def test_staff_appoint_and_vacate_a_coordinator(client_for, world):
    client = client_for("staff")
    url = f"/wiltshire/manage/clusters/{world.other_cluster.pk}/coordinator/"
    partner = world.users["partner"]
    client.post(url, {"email": partner.email, "first_name": "Any", "last_name": "Name"})
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.coordinator == partner
    client.post(url, {"action": "vacate"})
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.is_vacant


def test_coordinator_edits_their_own_cluster(client_for, world):
    response = client_for("coordinator").post(
        f"/wiltshire/manage/clusters/{world.cluster.pk}/edit/",
        {
            "name": "Devizes area",
            "area": "Devizes, Potterne and the Lavingtons",
            "description": "",
            "contact_email": "devizes@example.org",
        },
    )
    assert response.status_code == 302
    world.cluster.refresh_from_db()
    assert world.cluster.area == "Devizes, Potterne and the Lavingtons"


def test_coordinator_cannot_appoint_coordinators(client_for, world):
    response = client_for("coordinator").post(
        f"/wiltshire/manage/clusters/{world.cluster.pk}/coordinator/", {"action": "vacate"}
    )
    assert response.status_code == 403
    world.cluster.refresh_from_db()
    assert not world.cluster.is_vacant


def test_member_search_finds_hub_organisations_not_yet_members(client_for, world):
    SchoolFactory(name="Devizes Secondary School", local_authority=world.la)
    client = client_for("coordinator")
    url = f"/wiltshire/manage/clusters/{world.cluster.pk}/"
    fragment = client.get(url, {"q": "devizes", "fragment": "results"}).content.decode()
    assert "Devizes Secondary School" in fragment
    assert "Devizes Primary School" not in fragment  # already a member
    assert "<html" not in fragment
    other = client.get(url, {"q": "Ely", "fragment": "results"}).content.decode()
    assert "Ely Primary School" not in other  # another hub's school
    assert "0 matches" in other


def test_coordinator_adds_and_removes_members(client_for, world):
    client = client_for("coordinator")
    base = f"/wiltshire/manage/clusters/{world.cluster.pk}/members/"
    client.post(base + "add/", {"organisation": world.partner.pk})
    assert world.cluster.members.filter(pk=world.partner.pk).exists()
    client.post(base + "remove/", {"organisation": world.school.pk})
    assert not world.cluster.members.filter(pk=world.school.pk).exists()


def test_adding_another_hubs_school_is_not_found(client_for, world):
    client = client_for("staff")
    response = client.post(
        f"/wiltshire/manage/clusters/{world.cluster.pk}/members/add/",
        {"organisation": world.other_school.pk},
    )
    assert response.status_code == 404
    assert not world.cluster.members.filter(pk=world.other_school.pk).exists()


def test_bulk_assignment_page(client_for, world):
    client = client_for("staff")
    bad = SimpleUploadedFile("clusters.csv", b"URN,Cluster\n126000,Nowhere\n", "text/csv")
    response = client.post("/wiltshire/manage/clusters/assign/", {"file": bad})
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert "Row 2, Cluster" in response.content.decode()
    good = SimpleUploadedFile("clusters.csv", b"URN,Cluster\n126000,Chippenham\n", "text/csv")
    response = client.post("/wiltshire/manage/clusters/assign/", {"file": good})
    assert response.status_code == 302
    assert list(world.school.clusters.all()) == [world.other_cluster]

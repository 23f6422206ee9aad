import pytest

from tutti.clusters.tests.factories import ClusterMemberFactory
from tutti.directory.models import Organisation, Partnership
from tutti.directory.tests.factories import ExpertiseFactory, OrganisationFactory, SchoolFactory


def test_hub_home_shows_its_headline_counts(client, world):
    SchoolFactory(local_authority=world.la, is_open=False)
    html = client.get("/wiltshire/").content.decode()
    # Open schools only; each count in the singular when it is one.
    assert "<strong>1</strong> school</a>" in html
    assert "<strong>1</strong> partner organisation</a>" in html
    assert "<strong>2</strong> musical clusters" in html


def search(client, **params):
    response = client.get("/wiltshire/directory/", params)
    assert response.status_code == 200
    return [o.name for o in response.context["page"].object_list], response


def test_directory_finds_by_name_town_urn_and_postcode(client, world):
    assert search(client, q="devizes primary")[0] == ["Devizes Primary School"]
    assert search(client, q="126000")[0] == ["Devizes Primary School"]
    assert search(client, postcode="sn10")[0] == ["Devizes Primary School"]
    assert search(client, postcode="SN101AA")[0] == ["Devizes Primary School"]
    assert search(client, q="Ely")[0] == []  # the other hub's school


def test_directory_filters_by_kind_cluster_authority_and_expertise(client, world):
    send = ExpertiseFactory(name="SEND", slug="send")
    world.partner.expertise.add(send)
    assert search(client, kind="music_service")[0] == ["Wiltshire Music Centre"]
    assert search(client, cluster="devizes-area")[0] == ["Devizes Primary School"]
    assert search(client, local_authority="865")[0] == ["Devizes Primary School"]
    assert search(client, expertise="send")[0] == ["Wiltshire Music Centre"]


def test_unknown_filter_values_are_ignored_with_the_form_errors_not_a_500(client, world):
    names, response = search(client, kind="spaceship", cluster="fenland")
    assert response.context["form"].errors
    assert "Devizes Primary School" in names


def test_unlisted_partners_and_closed_schools_are_not_in_the_public_directory(client, world):
    OrganisationFactory(name="Private Tutor", hub=world.hub, listed_publicly=False)
    SchoolFactory(name="Old School", local_authority=world.la, is_open=False)
    names, _ = search(client)
    assert "Private Tutor" not in names and "Old School" not in names


def test_directory_counts_and_paginates(client, world):
    for n in range(30):
        SchoolFactory(name=f"Paged School {n:02}", local_authority=world.la)
    names, response = search(client, q="paged")
    assert len(names) == 25
    assert "30 results" in response.content.decode()
    names, _ = search(client, q="paged", page=2)
    assert names == [f"Paged School {n}" for n in range(25, 30)]


@pytest.mark.parametrize("search", [{}, {"q": "school"}])
@pytest.mark.parametrize("rows", [3, 40])
def test_directory_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries, rows, search
):
    for _ in range(rows):
        school = SchoolFactory(local_authority=world.la)
        ClusterMemberFactory(cluster=world.cluster, organisation=school)
    # hub, authorities, clusters and expertise for the filters, count, page, page's clusters:
    # a search counts its matches once, for its own choice (typos?) and for the pages
    with django_assert_num_queries(7):
        response = client.get("/wiltshire/directory/", search)
    assert response.status_code == 200


def test_organisation_page(client, world):
    html = client.get(f"/wiltshire/directory/{world.school.pk}/").content.decode()
    assert "Devizes Primary School" in html and "126000" in html and "Devizes area" in html


def test_staff_add_a_partner(client_for, world):
    response = client_for("staff").post(
        "/wiltshire/manage/directory/new/",
        {
            "kind": "tutor",
            "name": "Salisbury Strings",
            "postcode": "SP1 2AB",
            "website": "salisbury-strings.example.org",
            "listed_publicly": "on",
        },
    )
    organisation = Organisation.objects.get(name="Salisbury Strings")
    assert response.status_code == 302
    assert organisation.website == "https://salisbury-strings.example.org"
    assert Partnership.objects.filter(hub=world.hub, organisation=organisation).exists()


def test_partner_form_reshows_with_messages(client_for, world):
    response = client_for("staff").post(
        "/wiltshire/manage/directory/new/", {"kind": "school", "name": "", "email": "nope"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a valid email address." in html
    assert not Organisation.objects.filter(email="nope").exists()


def test_partner_staff_edit_their_own_organisation(client_for, world):
    response = client_for("partner").post(
        f"/wiltshire/manage/directory/{world.partner.pk}/edit/",
        {
            "kind": "venue",
            "name": "Wiltshire Music Centre",
            "town": "Bradford on Avon",
            "listed_publicly": "on",
        },
    )
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert (world.partner.kind, world.partner.town) == ("venue", "Bradford on Avon")


def test_partner_staff_accept_the_current_commitments(client_for, world):
    world.hub.commitments.create(version=1, text="Quality assurance")
    current = world.hub.commitments.create(version=2, text="Quality assurance; data")
    client = client_for("partner")
    partnership = Partnership.objects.get(hub=world.hub, organisation=world.partner)
    assert "Not accepted yet" in client.get("/wiltshire/manage/commitments/").content.decode()
    response = client.post("/wiltshire/manage/commitments/", {"partnership": partnership.pk})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.commitments_accepted == current


def test_nobody_accepts_for_an_organisation_they_do_not_act_for(client_for, world):
    world.hub.commitments.create(version=1, text="Quality assurance")
    other = OrganisationFactory(hub=world.hub)
    partnership = Partnership.objects.get(organisation=other)
    response = client_for("partner").post(
        "/wiltshire/manage/commitments/", {"partnership": partnership.pk}
    )
    assert response.status_code == 404
    partnership.refresh_from_db()
    assert partnership.commitments_accepted is None


def test_staff_see_who_has_accepted(client_for, world):
    world.hub.commitments.create(version=1, text="Quality assurance")
    html = client_for("staff").get("/wiltshire/manage/commitments/").content.decode()
    assert "Wiltshire Music Centre" in html and "Not accepted" in html

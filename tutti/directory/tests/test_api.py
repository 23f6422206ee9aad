import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tutti.clusters.tests.factories import ClusterMemberFactory
from tutti.core.models import AuditLog
from tutti.core.tests.helpers import errors_by_field, send
from tutti.directory.models import Organisation, OrganisationKind, Partnership
from tutti.directory.tests.factories import (
    ExpertiseFactory,
    OrganisationFactory,
    SchoolFactory,
)

HUB = "/api/hubs/wiltshire"


# Reads


def test_hub_list_gives_each_hub_with_its_local_authorities(client, world):
    response = client.get("/api/hubs")
    assert response.status_code == 200
    hubs = {h["slug"]: h for h in response.json()}
    assert hubs["wiltshire"]["name"] == "Wiltshire Music Connect"
    assert hubs["wiltshire"]["local_authorities"] == [{"code": "865", "name": "Wiltshire"}]
    assert hubs["cambridgeshire"]["local_authorities"][0]["code"] == "873"


def test_organisation_list_is_the_hubs_public_directory(client, world):
    OrganisationFactory(name="Hidden Tutor", hub=world.hub, listed_publicly=False)
    SchoolFactory(name="Closed School", local_authority=world.la, is_open=False)
    response = client.get(f"{HUB}/organisations")
    assert response.status_code == 200
    body = response.json()
    assert [o["name"] for o in body["items"]] == [
        "Devizes Primary School",
        "Wiltshire Music Centre",
    ]
    assert body["count"] == 2
    school = body["items"][0]
    assert school["kind"] == "school"
    assert school["kind_display"] == "School"
    assert school["urn"] == 126000
    assert school["local_authority"] == {"code": "865", "name": "Wiltshire"}
    assert school["clusters"] == [
        {"id": world.cluster.pk, "slug": "devizes-area", "name": "Devizes area"}
    ]


def test_organisation_list_takes_the_web_pages_filters(client, world):
    expertise = ExpertiseFactory(name="SEND", slug="send")
    world.partner.expertise.add(expertise)

    def names(**query):
        response = client.get(f"{HUB}/organisations", query)
        assert response.status_code == 200, response.content
        return [o["name"] for o in response.json()["items"]]

    assert names(q="devizes") == ["Devizes Primary School"]
    assert names(q="126000") == ["Devizes Primary School"]
    assert names(kind="music_service") == ["Wiltshire Music Centre"]
    assert names(postcode="SP1") == ["Wiltshire Music Centre"]
    assert names(local_authority="865") == ["Devizes Primary School"]
    assert names(cluster="devizes-area") == ["Devizes Primary School"]
    assert names(expertise="send") == ["Wiltshire Music Centre"]
    assert names(q="devizes", kind="music_service") == []


def test_organisation_list_is_paginated_with_the_total(client, world):
    response = client.get(f"{HUB}/organisations", {"page": 2, "page_size": 1})
    body = response.json()
    assert body["count"] == 2
    assert (body["page"], body["page_size"]) == (2, 1)
    assert [o["name"] for o in body["items"]] == ["Wiltshire Music Centre"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_organisation_list_rejects_bad_query_with_422(client, world, query, field):
    response = client.get(f"{HUB}/organisations", query)
    assert response.status_code == 422
    assert field in errors_by_field(response)
    assert field in response.json()["detail"]


def test_organisation_list_uses_a_fixed_number_of_queries(client, world):
    expertise = ExpertiseFactory()

    def queries_for(rows):
        Organisation.objects.exclude(pk__in=[world.school.pk, world.other_school.pk]).delete()
        for _ in range(rows):
            organisation = OrganisationFactory(hub=world.hub)
            organisation.expertise.add(expertise)
            ClusterMemberFactory(cluster=world.other_cluster, organisation=organisation)
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{HUB}/organisations", {"page_size": 100})
        assert response.json()["count"] == rows + 1
        return len(context)

    # The hub, the count, the page, its expertise and its clusters.
    assert queries_for(3) == queries_for(30) == 5


def test_organisation_detail(client, world):
    response = client.get(f"{HUB}/organisations/{world.school.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Devizes Primary School"
    assert body["phase"] == "Primary"
    assert body["clusters"][0]["slug"] == "devizes-area"


@pytest.mark.parametrize("which", ["other_school", "unlisted", "unknown"])
def test_organisation_detail_outside_the_public_directory_is_404(client, world, which):
    pk = {
        "other_school": world.other_school.pk,
        "unlisted": OrganisationFactory(hub=world.hub, listed_publicly=False).pk,
        "unknown": 999999,
    }[which]
    response = client.get(f"{HUB}/organisations/{pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such organisation in this hub's directory."


# Create


def test_staff_create_a_partner(client_for, world):
    ExpertiseFactory(slug="send", name="SEND")
    body = {
        "kind": "tutor",
        "name": "Jo Bloggs Violin",
        "email": "jo@example.org",
        "local_authority": "865",
        "expertise": ["send"],
    }
    response = send(client_for("staff"), "POST", f"{HUB}/organisations", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind"] == "tutor"
    assert created["local_authority"]["code"] == "865"
    assert created["expertise"] == [{"slug": "send", "name": "SEND"}]
    assert created["listed_publicly"] is True
    organisation = Organisation.objects.get(pk=created["id"])
    assert Partnership.objects.filter(hub=world.hub, organisation=organisation).exists()
    assert AuditLog.objects.filter(action="directory.organisation.created").count() == 1


@pytest.mark.parametrize(
    ("body", "status", "field", "message"),
    [
        ({"kind": "tutor"}, 422, "name", "Field required"),
        ({"kind": "tutor", "name": ""}, 400, "name", "cannot be blank"),
        ({"kind": "tutor", "name": "Jo", "email": "not-an-email"}, 400, "email", "valid email"),
        ({"kind": "tutor", "name": "Jo", "website": "nowhere"}, 400, "website", "valid URL"),
        ({"kind": "tutor", "name": "Jo", "latitude": 10}, 400, "latitude", "greater than"),
        ({"kind": "tutor", "name": "Jo", "local_authority": "999"}, 400, "local_authority", "999"),
        ({"kind": "tutor", "name": "Jo", "expertise": ["nope"]}, 400, "expertise", "nope"),
        ({"kind": "castle", "name": "Jo"}, 422, "kind", "Input should be"),
    ],
)
def test_create_with_bad_input_says_what_is_wrong(client_for, world, body, status, field, message):
    response = send(client_for("staff"), "POST", f"{HUB}/organisations", body)
    assert response.status_code == status
    assert message in errors_by_field(response)[field]
    assert not Organisation.objects.filter(name="Jo").exists()


def test_create_a_school_is_refused(client_for, world):
    body = {"kind": "school", "name": "New School"}
    response = send(client_for("staff"), "POST", f"{HUB}/organisations", body)
    assert response.status_code == 400
    assert "register" in response.json()["detail"]


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2]"])
def test_create_with_a_malformed_body_is_4xx_json(client_for, world, body):
    response = send(client_for("staff"), "POST", f"{HUB}/organisations", body)
    assert response.status_code in {400, 422}
    assert response.json()["detail"]


def test_malformed_json_says_so(client_for, world):
    response = send(client_for("staff"), "POST", f"{HUB}/organisations", "{not json")
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON."


# Update


def test_staff_change_part_of_an_organisation(client_for, world):
    url = f"{HUB}/organisations/{world.partner.pk}"
    response = send(client_for("staff"), "PATCH", url, {"town": "Bradford on Avon"})
    assert response.status_code == 200
    world.partner.refresh_from_db()
    assert world.partner.town == "Bradford on Avon"
    assert world.partner.name == "Wiltshire Music Centre"
    log = AuditLog.objects.get(action="directory.organisation.updated")
    assert log.data["fields"] == ["town"]


def test_staff_can_change_an_unlisted_organisation(client_for, world):
    hidden = OrganisationFactory(hub=world.hub, listed_publicly=False)
    url = f"{HUB}/organisations/{hidden.pk}"
    response = send(client_for("staff"), "PATCH", url, {"listed_publicly": True})
    assert response.status_code == 200
    hidden.refresh_from_db()
    assert hidden.listed_publicly


def test_partner_staff_change_their_own_organisation(client_for, world):
    url = f"{HUB}/organisations/{world.partner.pk}"
    response = send(client_for("partner"), "PATCH", url, {"phone": "01225 000000"})
    assert response.status_code == 200
    assert response.json()["phone"] == "01225 000000"


def test_partner_staff_cannot_change_another_organisation(client_for, world):
    url = f"{HUB}/organisations/{world.school.pk}"
    response = send(client_for("partner"), "PATCH", url, {"phone": "01225 000000"})
    assert response.status_code == 403
    assert response.json()["detail"] == "You can edit only your own organisation."


def test_staff_cannot_change_another_hubs_organisation(client_for, world):
    url = f"{HUB}/organisations/{world.other_school.pk}"
    response = send(client_for("staff"), "PATCH", url, {"town": "Anywhere"})
    assert response.status_code == 404


def test_outsider_cannot_change_it_through_their_own_hub(client_for, world):
    url = f"/api/hubs/cambridgeshire/organisations/{world.partner.pk}"
    response = send(client_for("outsider"), "PATCH", url, {"town": "Ely"})
    assert response.status_code == 404
    world.partner.refresh_from_db()
    assert world.partner.town == "Salisbury"


def test_a_partner_cannot_become_a_school(client_for, world):
    url = f"{HUB}/organisations/{world.partner.pk}"
    response = send(client_for("staff"), "PATCH", url, {"kind": "school"})
    assert response.status_code == 400
    assert "register" in response.json()["detail"]
    world.partner.refresh_from_db()
    assert world.partner.kind == OrganisationKind.MUSIC_SERVICE


def test_a_school_stays_a_school(client_for, world):
    url = f"{HUB}/organisations/{world.school.pk}"
    response = send(client_for("staff"), "PATCH", url, {"kind": "tutor"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Schools come from the official register: their kind cannot change."
    )


def test_update_with_bad_input_is_400(client_for, world):
    url = f"{HUB}/organisations/{world.partner.pk}"
    response = send(client_for("staff"), "PATCH", url, {"name": "", "email": "nope"})
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"name", "email"}

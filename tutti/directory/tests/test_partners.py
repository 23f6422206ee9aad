"""Adding and changing a partner: a real postcode, its position from the postcode district, one
name per directory, the hub's own local authorities, and an address without stray commas."""

import pytest

from tutti.core.models import AuditLog
from tutti.directory.models import LocalAuthority, Organisation
from tutti.directory.postcodes import clean_postcode, postcode_district
from tutti.directory.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    SchoolFactory,
)

NEW = "/wiltshire/manage/directory/new/"


def add(client, **fields):
    data = {"kind": "tutor", "name": "Salisbury Strings", "listed_publicly": "on", **fields}
    return client.post(NEW, data)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("sn10 1ab", "SN10 1AB"),
        ("SN101AB", "SN10 1AB"),
        (" ec1a  1bb ", "EC1A 1BB"),
        ("ba15", "BA15"),
    ],
)
def test_a_postcode_is_written_the_standard_way(typed, kept):
    assert clean_postcode(typed) == kept


@pytest.mark.parametrize("typed", ["not a postcode!!", "SN10 1A", "12345", "SN10 1AB X"])
def test_what_is_not_a_postcode_is_refused(typed):
    with pytest.raises(Exception, match="is not a UK postcode"):
        clean_postcode(typed)


def test_a_partner_is_placed_at_its_postcode_district(client_for, world):
    response = add(client_for("staff"), postcode="sn10 1ab")
    assert response.status_code == 302
    partner = Organisation.objects.get(name="Salisbury Strings")
    district = postcode_district("SN10 1AB")
    assert partner.postcode == "SN10 1AB"
    assert (partner.latitude, partner.longitude) == (district.latitude, district.longitude)
    assert (round(partner.latitude, 2), round(partner.longitude, 2)) == (51.34, -1.99)


def test_the_form_asks_for_no_position_and_says_where_it_comes_from(client_for, world):
    html = client_for("staff").get(NEW).content.decode()
    assert 'name="latitude"' not in html and 'name="longitude"' not in html
    assert "middle of its postcode district" in html
    # No maxlength, so a browser never cuts a wrong postcode down to something else.
    assert 'name="postcode" maxlength' not in html


def test_a_new_postcode_moves_the_partner(client_for, world):
    url = f"/wiltshire/manage/directory/{world.partner.pk}/edit/"
    data = {"kind": "venue", "name": "Wiltshire Music Centre", "postcode": "BA15 1DZ"}
    assert client_for("staff").post(url, {**data, "listed_publicly": "on"}).status_code == 302
    world.partner.refresh_from_db()
    assert world.partner.latitude == postcode_district("BA15").latitude
    entry = AuditLog.objects.filter(action="directory.organisation.updated").latest("pk")
    assert {"postcode", "latitude", "longitude"} <= set(entry.data["fields"])


def test_not_a_postcode_is_refused_whole_and_changes_nothing(client_for, world):
    response = add(client_for("staff"), postcode="not a postcode!!", email="nope")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "“not a postcode!!” is not a UK postcode" in html
    assert "Enter a valid email address." in html  # every problem at once
    assert not Organisation.objects.filter(name="Salisbury Strings").exists()


def test_a_name_already_in_the_directory_is_refused(client_for, world):
    client = client_for("staff")
    for name in ["Wiltshire Music Centre", "wiltshire  music centre", "Devizes Primary School"]:
        response = add(client, name=name)
        assert response.status_code == 200, name
        assert "is already in the directory" in response.content.decode()
    assert Organisation.objects.filter(name__iexact="wiltshire music centre").count() == 1
    # Another hub's organisation of the same name is no clash here.
    OrganisationFactory(name="Fenland Fiddles", hub=world.other_hub)
    assert add(client, name="Fenland Fiddles").status_code == 302


def test_a_partner_keeps_its_own_name_when_edited(client_for, world):
    url = f"/wiltshire/manage/directory/{world.partner.pk}/edit/"
    data = {"kind": "venue", "name": "Wiltshire Music Centre", "town": "Bradford on Avon"}
    assert client_for("staff").post(url, {**data, "listed_publicly": "on"}).status_code == 302


def test_only_the_hubs_local_authorities_are_offered_and_accepted(client_for, world):
    client = client_for("staff")
    html = client.get(NEW).content.decode()
    assert ">Wiltshire<" in html
    assert ">Cambridgeshire<" not in html
    other = LocalAuthority.objects.get(code="873")
    response = add(client, local_authority=other.pk)
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Salisbury Strings").exists()
    assert add(client, local_authority=world.la.pk).status_code == 302


def test_the_api_refuses_the_same_things(client_for, world):
    client = client_for("staff")
    url = "/api/hubs/wiltshire/organisations"
    LocalAuthorityFactory(code="999", name="Elsewhere")
    cases = [
        ({"postcode": "not a postcode!!"}, "postcode", "is not a UK postcode"),
        ({"name": "Wiltshire Music Centre"}, "name", "already in the directory"),
        ({"local_authority": "873"}, "local_authority", "not one of"),
    ]
    for change, field, message in cases:
        body = {"kind": "tutor", "name": "Jo", **change}
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, change
        errors = {e["field"]: e["message"] for e in response.json()["errors"]}
        assert message in errors[field]
    assert not Organisation.objects.filter(name="Jo").exists()
    patch = client.patch(
        f"{url}/{world.partner.pk}", {"postcode": None}, content_type="application/json"
    )
    assert patch.status_code == 400
    assert "postcode" in {e["field"] for e in patch.json()["errors"]}
    response = client.post(
        url, {"kind": "tutor", "name": "Jo", "postcode": "ba151dz"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["postcode"] == "BA15 1DZ"
    assert Organisation.objects.get(name="Jo").latitude == postcode_district("BA15").latitude


@pytest.mark.parametrize(
    ("address", "town", "postcode", "shown"),
    [
        ("", "Devizes", "SN10 1AB", "Devizes SN10 1AB"),
        ("Long Street", "Devizes", "SN10 1AB", "Long Street, Devizes SN10 1AB"),
        ("Long Street", "", "", "Long Street"),
        ("", "", "SN10 1AB", "SN10 1AB"),
    ],
)
def test_the_address_has_no_stray_comma(client, world, address, town, postcode, shown):
    partner = OrganisationFactory(
        name="Corner Tutor", hub=world.hub, address=address, town=town, postcode=postcode
    )
    html = client.get(f"/wiltshire/directory/{partner.pk}/").content.decode()
    assert f"<dt>Address</dt><dd>{shown}</dd>" in html


@pytest.mark.parametrize("typed", ["St Josephs", "st joseph's", "St. Joseph\u2019s", "Josephs"])
def test_search_ignores_apostrophes_on_both_sides(client, world, typed):
    SchoolFactory(name="St Joseph's Catholic Primary School", local_authority=world.la)
    SchoolFactory(name="St Josephs Primary", local_authority=world.la)
    SchoolFactory(name="St John\u2019s Primary", local_authority=world.la)
    response = client.get("/wiltshire/directory/", {"q": typed})
    found = sorted(o.name for o in response.context["page"].object_list)
    assert found == ["St Joseph's Catholic Primary School", "St Josephs Primary"]


def test_search_treats_hyphens_as_spaces(client, world):
    SchoolFactory(name="Bradford-on-Avon Primary", local_authority=world.la)
    for typed in ["Bradford on Avon", "bradford-on-avon"]:
        response = client.get("/wiltshire/directory/", {"q": typed})
        assert [o.name for o in response.context["page"].object_list] == [
            "Bradford-on-Avon Primary"
        ]


def test_an_old_odd_value_does_not_block_an_unrelated_change(world):
    from tutti.directory.services import organisation_update

    other_la = LocalAuthority.objects.get(code="873")
    partner = OrganisationFactory(hub=world.hub, postcode="BFPO 1", local_authority=other_la)
    organisation_update(hub=world.hub, organisation=partner, by=None, phone="01380 000000")
    partner.refresh_from_db()
    assert (partner.phone, partner.postcode) == ("01380 000000", "BFPO 1")

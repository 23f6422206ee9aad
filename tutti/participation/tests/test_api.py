from tutti.participation.api import Kind as Section
from tutti.participation.figures import FIGURES
from tutti.participation.kinds import KINDS as SECTIONS
from tutti.participation.tests.factories import WcetFactory

API = "/api/hubs/wiltshire"


def test_sections_are_the_record_types():
    assert {s.value for s in Section} == set(SECTIONS)


def test_impact_gives_every_figure_with_its_definition(client_for, world):
    WcetFactory(hub=world.hub, year=2024, school=world.school, partner=world.partner, pupils=31)
    response = client_for("staff").get(f"{API}/impact?year=2024")
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["year_label"]) == (2024, "2024/25")
    figures = {f["key"]: f for f in body["figures"]}
    assert [f["key"] for f in body["figures"]] == [f.key for f in FIGURES]
    assert figures["wcet-pupils"]["value"] == 31
    assert figures["wcet-pupils"]["definition"]


def test_impact_defaults_to_the_newest_year_with_records(client_for, world):
    WcetFactory(hub=world.hub, year=2023, school=world.school, partner=world.partner)
    assert client_for("partner").get(f"{API}/impact").json()["year"] == 2023


def test_records_list_partner_school_and_details(client_for, world):
    record = WcetFactory(
        hub=world.hub, year=2024, school=world.school, partner=world.partner, pupils=31
    )
    WcetFactory(hub=world.other_hub, year=2024, school=world.other_school)
    response = client_for("staff").get(f"{API}/participation/wcet?year=2024")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == record.pk
    assert row["partner"] == {"id": world.partner.pk, "name": world.partner.name}
    assert row["school"]["urn"] == 126000
    assert row["details"]["pupils"] == 31


def test_bad_section_or_year_is_a_json_422(client_for, world):
    client = client_for("staff")
    for url in (f"{API}/participation/kazoo", f"{API}/participation/wcet?year=99"):
        response = client.get(url)
        assert response.status_code == 422
        assert response.json()["detail"]
    assert client.get(f"{API}/impact?year=abc").status_code == 422

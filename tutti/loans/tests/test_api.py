from tutti.directory.tests.factories import OrganisationFactory
from tutti.loans.tests.factories import InstrumentFactory


def test_partner_staff_find_only_their_own_instruments_by_tag(client_for, world):
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-00001")
    other = OrganisationFactory(name="Swindon Music Service", hub=world.hub)
    InstrumentFactory(hub=world.hub, owner=other, asset_tag="WMC-00002")
    body = client_for("partner").get("/api/hubs/wiltshire/instruments?tag=wmc").json()
    assert [i["asset_tag"] for i in body["results"]] == ["WMC-00001"]
    body = client_for("staff").get("/api/hubs/wiltshire/instruments?tag=wmc").json()
    assert body["count"] == 2


def test_a_tag_too_long_is_a_422_in_json(client_for, world):
    response = client_for("staff").get(f"/api/hubs/wiltshire/instruments?tag={'x' * 31}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "tag"


def test_the_dashboard_api_gives_the_pages_figures(client_for, world):
    InstrumentFactory(hub=world.hub, owner=world.partner)
    body = client_for("staff").get("/api/hubs/wiltshire/loans/dashboard").json()
    assert body["instruments"] == 1 and body["by_status"] == {"available": 1}
    assert client_for("partner").get("/api/hubs/wiltshire/loans/dashboard").status_code == 403

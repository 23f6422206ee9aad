from tutti.directory.tests.factories import SchoolFactory
from tutti.participation.tests.factories import WcetFactory
from tutti.provision.tests.factories import SchoolAuditFactory, this_year

URL = "/api/hubs/wiltshire/provision"


def test_statuses_give_each_schools_status_and_no_personal_data(client_for, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, music_lead="Ann Lee", wcet="no")
    response = client_for("staff").get(f"{URL}/statuses")
    assert response.status_code == 200
    body = response.json()
    row = next(s for s in body["schools"] if s["id"] == world.school.pk)
    assert row["statuses"]["wcet"] == "none"
    assert row["statuses"]["send"] == "unknown"
    assert row["audit"] == "started"
    assert "Ann Lee" not in response.content.decode()
    assert not [s for s in body["schools"] if s["id"] == world.other_school.pk]


def test_statuses_narrow_to_one_role_and_phase(client_for, world):
    SchoolFactory(name="Devizes Secondary", local_authority=world.la, phase="Secondary")
    response = client_for("staff").get(f"{URL}/statuses?role=singing&phase=Secondary")
    schools = response.json()["schools"]
    assert [s["name"] for s in schools] == ["Devizes Secondary"]
    assert schools[0]["statuses"] == {"singing": "unknown"}


def test_statuses_refuse_an_unknown_role_or_phase_in_json(client_for, world):
    client = client_for("staff")
    response = client.get(f"{URL}/statuses?role=kazoo")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"
    response = client.get(f"{URL}/statuses?phase=Nursery")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "phase", "message": response.json()["errors"][0]["message"]}
    ]
    assert "Choose one of" in response.json()["detail"]


def test_summary_counts_per_cluster_and_authority(client, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, send="no", mdp="yes")
    WcetFactory(hub=world.hub, school=world.school, year=this_year())
    response = client.get(f"{URL}/summary")
    assert response.status_code == 200
    body = response.json()
    cluster = next(g for g in body["by_cluster"] if g["name"] == world.cluster.name)
    assert cluster["counts"]["send"]["none"] == 1
    assert cluster["counts"]["mdp"]["provided"] == 1
    # A WCET record counts as provision even though the audit does not answer it.
    assert cluster["counts"]["wcet"]["provided"] == 1
    total = body["total"]
    assert total["schools"] == sum(g["schools"] for g in body["by_local_authority"])
    assert sum(total["counts"]["wcet"].values()) == total["schools"]

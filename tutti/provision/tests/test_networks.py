import pytest

from tutti.accounts.models import Role
from tutti.accounts.tests.factories import MembershipFactory
from tutti.directory.tests.factories import HubFactory, LocalAuthorityFactory, SchoolFactory
from tutti.provision import selectors
from tutti.provision.models import WorkingGroup
from tutti.provision.tests.factories import NetworkFactory, SchoolAuditFactory, this_year


@pytest.fixture
def network(world):
    """Wiltshire and Swindon in a network; Cambridgeshire stays outside it."""
    swindon_la = LocalAuthorityFactory(code="866", name="Swindon", gss_code="E06000030")
    swindon = HubFactory(name="Swindon Music", slug="swindon", local_authorities=[swindon_la])
    world.swindon = swindon
    world.swindon_la = swindon_la
    # Wiltshire: Devizes Primary (wcet yes) and one more (wcet no).
    SchoolAuditFactory(hub=world.hub, school=world.school, wcet="yes")
    SchoolAuditFactory(
        hub=world.hub, school=SchoolFactory(local_authority=world.la, name="Pewsey"), wcet="no"
    )
    # Swindon: one provided, one partly, one with no audit.
    for name, answer in (("Moredon", "yes"), ("Haydon", "partly"), ("Lydiard", None)):
        school = SchoolFactory(local_authority=swindon_la, name=f"{name} Primary School")
        if answer:
            SchoolAuditFactory(hub=swindon, school=school, wcet=answer)
    # Cambridgeshire, not a member: its figures must not appear anywhere.
    SchoolAuditFactory(hub=world.other_hub, school=world.other_school, wcet="yes")
    return NetworkFactory(name="South West SEND network", slug="sw-send", hubs=[world.hub, swindon])


def test_network_figures_are_the_sum_of_its_member_hubs(world, network):
    provision = selectors.network_provision(network=network, year=this_year())
    assert [h.slug for h in provision.hubs] == ["swindon", "wiltshire"]
    hub_figures = {
        hub.slug: selectors.group_counts(
            name=hub.name, rows=selectors.school_provision(hub=hub, year=this_year())
        )
        for hub in provision.hubs
    }
    for role in ("wcet", "send"):
        for status in ("provided", "partly", "none", "unknown"):
            assert provision.total.count(role, status) == sum(
                g.count(role, status) for g in hub_figures.values()
            ), (role, status)
    assert provision.total.schools == 5
    assert provision.total.count("wcet", "provided") == 2
    assert provision.total.count("wcet", "none") == 1
    assert provision.total.count("wcet", "partly") == 1
    assert provision.total.count("wcet", "unknown") == 1
    assert world.other_school.pk not in {r.pk for r in provision.rows}


def test_network_page_shows_the_sum_and_nothing_from_a_non_member_hub(client_for, world, network):
    response = client_for("staff").get("/networks/sw-send/?role=wcet")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["total_row"] == [2, 1, 1, 1]
    assert response.context["by_hub"] == [
        ("Swindon Music", 3, [1, 1, 0, 1]),
        ("Wiltshire Music Connect", 2, [1, 0, 1, 0]),
    ]
    assert "Moredon Primary School" in html and "Devizes Primary School" in html
    assert "Ely Primary School" not in html
    assert "Cambridgeshire" not in html
    # One map per member hub, each with that hub's schools: both hubs' schools, and only theirs.
    maps = response.context["maps"]
    assert [hub.slug for hub, _ in maps] == ["swindon", "wiltshire"]
    labels = [p.label for _, svg in maps for p in svg.points]
    assert len(labels) == sum(1 for r in response.context["provision"].rows if r.latitude)
    assert not any(label.startswith("Ely") for label in labels)
    swindon_labels = [p.label for p in maps[0][1].points]
    assert swindon_labels and all(
        label.split(":")[0]
        in {"Moredon Primary School", "Haydon Primary School", "Lydiard Primary School"}
        for label in swindon_labels
    )


def test_hub_staff_find_their_network_from_the_manage_page(client_for, world, network):
    html = client_for("staff").get("/wiltshire/manage/").content.decode()
    assert 'href="/networks/sw-send/"' in html
    # Coordinators cannot open the network page, so it is not offered to them.
    html = client_for("coordinator").get("/wiltshire/manage/").content.decode()
    assert "/networks/sw-send/" not in html


def test_staff_of_any_member_hub_see_the_network(client, world, network):
    swindon_staff = MembershipFactory(hub=world.swindon, role=Role.HUB_ADMIN).user
    client.force_login(swindon_staff)
    assert client.get("/networks/sw-send/").status_code == 200


def test_staff_of_a_non_member_hub_get_404(client_for, world, network):
    assert client_for("outsider").get("/networks/sw-send/").status_code == 404
    assert client_for("plain").get("/networks/sw-send/").status_code == 404


def test_other_roles_in_a_member_hub_get_403(client_for, world, network):
    assert client_for("coordinator").get("/networks/sw-send/").status_code == 403


def test_no_such_network_is_404(client_for, world):
    assert client_for("staff").get("/networks/nope/").status_code == 404


def test_a_working_groups_area_narrows_the_figures(client_for, world, network):
    group = WorkingGroup.objects.create(network=network, name="Swindon schools", focus="SEND")
    group.local_authorities.add(world.swindon_la)
    response = client_for("staff").get(f"/networks/sw-send/?role=wcet&group={group.pk}")
    assert response.status_code == 200
    assert response.context["total_row"] == [1, 1, 0, 1]
    assert "Devizes Primary School" not in response.content.decode()


def test_a_bad_filter_is_a_400(client_for, world, network):
    assert client_for("staff").get("/networks/sw-send/?role=nope").status_code == 400

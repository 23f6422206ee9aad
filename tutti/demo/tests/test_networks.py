import pytest

from tutti.accounts.models import Membership, Role
from tutti.demo.loader import load_demo
from tutti.provision.models import Network


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)


def test_the_demo_network_joins_two_hubs_and_its_page_adds_them_up(client, demo):
    network = Network.objects.get(slug="south-west-and-east-send")
    assert sorted(network.hubs.values_list("slug", flat=True)) == ["cambridgeshire", "wiltshire"]
    assert network.groups.filter(is_steering=True).count() == 1
    assert network.groups.get(name="Fenland schools").clusters.count() == 1
    admin = Membership.objects.filter(hub__slug="wiltshire", role=Role.HUB_ADMIN).first().user
    client.force_login(admin)
    response = client.get("/networks/south-west-and-east-send/")
    assert response.status_code == 200
    by_hub = response.context["by_hub"]
    assert [name for name, _, _ in by_hub] == ["Cambridgeshire Music", "Wiltshire Music Connect"]
    assert response.context["provision"].total.schools == sum(n for _, n, _ in by_hub) > 400
    assert "The Music Partnership" not in response.content.decode()

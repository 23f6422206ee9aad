import pytest

from tutti.cpd.models import ClaimStatus, MemberStatus, NetworkMember, SupplyClaim
from tutti.demo.loader import load_demo
from tutti.provision.models import Network


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)


@pytest.mark.slow
def test_wiltshire_runs_a_primary_and_a_secondary_network_with_real_schools(client, demo):
    networks = Network.objects.filter(hub__slug="wiltshire").order_by("name")
    assert [n.name for n in networks] == [
        "Primary music CPD network",
        "Secondary music CPD network",
    ]
    primary = networks[0]
    assert primary.days.count() == 3
    assert primary.lead_organisation.urn
    assert {s for s in SupplyClaim.objects.values_list("status", flat=True)} == set(
        ClaimStatus.values
    )
    member = NetworkMember.objects.filter(
        network=primary, status=MemberStatus.ACTIVE, role="member"
    ).first()
    assert member.email.endswith("@example.org") and member.school.urn
    client.force_login(member.user)
    assert client.get(f"/wiltshire/networks/{primary.slug}/space/").status_code == 200
    assert client.get(f"/wiltshire/networks/{primary.slug}/my-record/").status_code == 200
    assert (
        "Made up for the demo"
        in client.get(f"/wiltshire/networks/{primary.slug}/").content.decode()
    )

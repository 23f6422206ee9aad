"""A person's CPD network data for privacy's pages: found by address or account, erased as a
former member's place, counts and the other member's visits kept."""

from django.utils import timezone

from tutti.cpd import selectors, services
from tutti.cpd.models import MemberStatus, NetworkMember, PeerVisit, Reply, SupplyClaim, Thread
from tutti.cpd.tests.factories import day_of, member_of, network_of


def test_a_place_is_found_by_its_account_and_erased_as_a_former_members(world):
    network = network_of(world.hub)
    plain = member_of(network, world.users["plain"], school=world.school)
    other = member_of(network, world.users["staff"])
    thread = Thread.objects.create(
        network=network, title="Songs", body="Mine", author=plain, last_post_at=timezone.now()
    )
    Reply.objects.create(thread=thread, body="Also mine", author=plain)
    PeerVisit.objects.create(
        network=network,
        host=other,
        visitor=plain,
        focus="Singing",
        status="declined",
        visitor_reflection="What I saw",
        host_reflection="What they saw",
    )
    day = day_of(network, days_from_now=-7)
    SupplyClaim.objects.create(day=day, member=plain, school=world.school, amount=110)
    email = world.users["plain"].email.upper()

    (data,) = selectors.person_data(hub=world.hub, email=email)
    assert [p["text"] for p in data["posts"]] == ["Mine", "Also mine"]
    assert data["peer_visits"][0]["reflection"] == "What I saw"
    assert data["supply_claims"][0]["amount"] == "110.00"
    assert selectors.person_data(hub=world.other_hub, email=email) == []
    assert "1 supply-cover claim" in " ".join(
        selectors.person_erase_plan(hub=world.hub, email=email).changes
    )
    assert not selectors.person_erase_plan(hub=world.other_hub, email=email)

    assert services.person_erase(hub=world.hub, email=email, by=None) == 1
    plain.refresh_from_db()
    assert (plain.name, plain.user, plain.status) == ("", None, MemberStatus.LEFT)
    assert Thread.objects.get().author is None and Reply.objects.get().author is None
    visit = PeerVisit.objects.get()
    assert (visit.visitor_reflection, visit.host_reflection) == ("", "What they saw")
    assert SupplyClaim.objects.get().member == plain
    assert NetworkMember.objects.filter(network=network).count() == 2
    assert selectors.person_data(hub=world.hub, email=email) == []
    assert services.person_erase(hub=world.hub, email=email, by=None) == 0

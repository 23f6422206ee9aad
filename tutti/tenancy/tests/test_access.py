"""member_access: the one answer that hub pages and API operations both turn into responses."""

from django.contrib.auth.models import AnonymousUser

from tutti.accounts.models import Membership, Role
from tutti.accounts.tests.factories import UserFactory
from tutti.tenancy.access import Refusal, Refused, member_access


def test_someone_not_signed_in_is_refused_as_such(world):
    assert member_access(AnonymousUser(), world.hub, "can_view_manage") == Refused(
        Refusal.NOT_SIGNED_IN, None
    )


def test_no_role_in_the_hub_is_refused_without_a_membership(world):
    for who in ("plain", "outsider"):
        access = member_access(world.users[who], world.hub, "can_view_manage")
        assert access == Refused(Refusal.NO_ROLE, None)


def test_a_role_without_the_capability_is_refused_with_the_membership(world):
    access = member_access(world.users["partner"], world.hub, "can_manage_clusters")
    assert isinstance(access, Refused)
    assert access.reason is Refusal.ROLE_LACKS_CAPABILITY
    assert access.membership == Membership.objects.get(hub=world.hub, role=Role.PARTNER_STAFF)


def test_a_role_with_the_capability_gets_the_membership(world):
    access = member_access(world.users["staff"], world.hub, "can_manage_clusters")
    assert access == Membership.objects.get(hub=world.hub, user=world.users["staff"])


def test_the_hubs_two_factor_rule_refuses_staff_without_it(world):
    world.hub.require_two_factor = True
    world.hub.save(update_fields=["require_two_factor"])
    access = member_access(world.users["staff"], world.hub, "can_manage_clusters")
    assert isinstance(access, Refused)
    assert access.reason is Refusal.TWO_FACTOR_MISSING


def test_a_superuser_acts_through_a_stand_in_hub_admin_membership(world):
    access = member_access(UserFactory(is_superuser=True), world.hub, "can_manage_members")
    assert isinstance(access, Membership)
    assert access.is_stand_in
    assert access.role == Role.HUB_ADMIN

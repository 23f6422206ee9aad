"""The participation access rules, used alike by the pages and the API."""

import pytest

from tutti.accounts.models import Membership, Role
from tutti.participation.access import (
    may_manage_participation,
    may_see_draft_figures,
    own_organisations,
)


def test_nobody_signed_in_sees_no_draft_figures():
    assert not may_see_draft_figures(None)
    assert not may_manage_participation(None)


@pytest.mark.django_db
def test_hub_staff_reach_every_partner_and_partner_staff_their_own(world):
    staff = Membership.objects.get(user=world.users["staff"], hub=world.hub)
    partner = Membership.objects.get(user=world.users["partner"], hub=world.hub)
    assert may_see_draft_figures(staff) and may_manage_participation(staff)
    assert own_organisations(staff) is None
    assert may_see_draft_figures(partner) and not may_manage_participation(partner)
    assert own_organisations(partner) == [world.partner.pk]


def test_a_stand_in_membership_acts_for_no_organisation():
    # A stand-in (unsaved) membership has no organisations to read: none, not an error.
    stand_in = Membership(role=Role.PARTNER_STAFF)
    assert stand_in.is_stand_in
    assert own_organisations(stand_in) == []
    assert own_organisations(Membership(role=Role.HUB_STAFF)) is None

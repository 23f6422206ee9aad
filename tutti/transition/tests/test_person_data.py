"""A family's passports for privacy's pages: found by their address, erased as retention
would, keeping the anonymous row a school had."""

from tutti.transition import selectors, services
from tutti.transition.models import Passport, PassportStatus
from tutti.transition.tests.factories import PassportFactory, sent_passport

KIM = "kim@example.org"


def test_passports_are_found_and_erased_keeping_the_anonymous_row(world):
    sent = sent_passport(world, family_email=KIM, child_name="Jo Kim")
    draft = PassportFactory(hub=world.hub, family_email=KIM)
    data = selectors.person_data(hub=world.hub, email="KIM@example.org")
    assert sorted(p["child"] for p in data) == sorted(["Jo Kim", draft.child_name])
    assert selectors.person_data(hub=world.other_hub, email=KIM) == []
    plan = selectors.person_erase_plan(hub=world.hub, email=KIM)
    assert plan.changes[0].startswith("1 passport not sent")
    assert "continuation figure" in plan.changes[1]

    assert services.person_erase(hub=world.hub, email=KIM, by=None) == 2
    (kept,) = Passport.objects.all()
    assert kept.pk == sent.pk
    assert (kept.status, kept.child_name, kept.family_email) == (PassportStatus.DELETED, "", "")
    assert selectors.person_data(hub=world.hub, email=KIM) == []

"""A member of a programme's team (or a site's SENCo) for privacy's pages: found by their email
in the programmes the hub holds, and erased from them, never leaving a programme without a
lead and never touching its pupils."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutti.accounts.tests.factories import UserFactory
from tutti.core.models import AuditLog
from tutti.programmes import selectors, services
from tutti.programmes.models import (
    InvitationRole,
    ProgrammeInvitation,
    Pupil,
    ReflectionEntry,
    SitePerson,
)
from tutti.programmes.tests.factories import add_pupils, make_programme, make_site

TIM = "tim.tutor@example.org"


def tim_in_programmes(world, *, email=TIM, copies=1):
    """Tim: a tutor at a site of each of ``copies`` programmes of the hub, its SENCo too, an
    invitation, a reflection, and a lead: the only one of the first, one of two of the rest."""
    tim = UserFactory(email=email)
    other_lead = UserFactory()
    programmes = []
    for n in range(copies):
        programme = make_programme(hub=world.hub, lead=tim, name=f"Nurture groups {email} {n}")
        if n:
            programme.leads.add(other_lead)
        site = make_site(programme, tutor=tim)
        site.senco_email = email.upper()
        site.save(update_fields=["senco_email"])
        add_pupils(site, 3)
        services.invitation_create(
            programme=programme, role=InvitationRole.TUTOR, email=email, by=None, site=site
        )
        services.reflection_add(
            programme=programme,
            author=tim,
            day=timezone.localdate() - timedelta(days=1),
            text="The group settled quickly.",
        )
        programmes.append(programme)
    return tim, programmes


def test_the_person_is_found_in_the_hubs_programmes_and_no_other_hubs(world):
    tim_in_programmes(world)
    data = selectors.person_data(hub=world.hub, email="Tim.Tutor@example.org")
    roles = sorted(row["role"] for row in data)
    assert roles == ["Invited as tutor", "Programme lead", "Reflection", "SENCo", "Tutor"]
    assert "The group settled quickly." in [row.get("text") for row in data]
    assert selectors.person_data(hub=world.other_hub, email=TIM) == []
    # Their own request (no hub) finds it all too.
    assert len(selectors.person_data(hub=None, email=TIM)) == len(data)


def test_the_reads_do_not_grow_with_the_records(world):
    tim_in_programmes(world, copies=1)
    with CaptureQueriesContext(connection) as one:
        selectors.person_data(hub=world.hub, email=TIM)
        selectors.person_erase_plan(hub=world.hub, email=TIM)
    tim_in_programmes(world, email="bob@example.org", copies=3)
    with CaptureQueriesContext(connection) as three:
        assert len(selectors.person_data(hub=world.hub, email="bob@example.org")) == 15
        selectors.person_erase_plan(hub=world.hub, email="bob@example.org")
    assert len(three.captured_queries) == len(one.captured_queries)


def test_erasure_removes_them_but_never_a_programmes_only_lead_nor_its_pupils(world):
    tim, (only_led, co_led) = tim_in_programmes(world, copies=2)
    plan = selectors.person_erase_plan(hub=world.hub, email=TIM)
    assert "2 places in a programme's team removed." in plan.changes
    assert "Removed as a lead of 1 programme." in plan.changes
    assert any(only_led.name in line and "only lead" in line for line in plan.hub_must)
    pupils = Pupil.objects.count()

    changed = services.person_erase(hub=world.hub, email=TIM, by=world.users["admin"])

    assert changed == 2 + 2 + 2 + 2 + 1  # places, invitations, reflections, SENCo sites, lead
    assert not SitePerson.objects.filter(user=tim).exists()
    assert not ProgrammeInvitation.objects.filter(email__iexact=TIM).exists()
    assert not ReflectionEntry.objects.filter(author=tim).exists()
    for site in [only_led.sites.get(), co_led.sites.get()]:
        site.refresh_from_db()
        assert (site.senco_email, site.senco_name, site.senco_link_active) == ("", "", False)
    assert tim in only_led.leads.all()  # the only lead stays until the hub adds another
    assert tim not in co_led.leads.all()
    assert Pupil.objects.count() == pupils
    entry = AuditLog.objects.get(action="programmes.person.erased")
    assert entry.data["places"] == 2 and TIM not in str(entry.data)
    # What is left is only the lead the hub must replace; a second erasure changes nothing.
    assert [row["role"] for row in selectors.person_data(hub=world.hub, email=TIM)] == [
        "Programme lead"
    ]
    assert services.person_erase(hub=world.hub, email=TIM, by=None) == 0


def test_another_hubs_erasure_leaves_this_hubs_programmes_alone(world):
    tim, _ = tim_in_programmes(world)
    assert services.person_erase(hub=world.other_hub, email=TIM, by=None) == 0
    assert SitePerson.objects.filter(user=tim).exists()

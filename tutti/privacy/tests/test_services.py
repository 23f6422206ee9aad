"""Access requests and erasure, bounded by the hub."""

import json

import pytest

from tutti.accounts.models import Membership, Role
from tutti.accounts.tests.factories import MembershipFactory, UserFactory
from tutti.core.audit import audit
from tutti.core.models import AuditLog
from tutti.events.models import Booking, BookingStatus
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.privacy import selectors, services
from tutti.privacy.export import data_zip
from tutti.privacy.tests.helpers import attended, hub_cpd_hours, past_event, read_zip

ANN = "ann.teacher@example.org"


@pytest.fixture
def ann(world):
    """Ann: staff of Wiltshire with an account, two Wiltshire bookings (one attended, one
    coming up) and one Cambridgeshire booking."""
    user = UserFactory(email=ANN, first_name="Ann", last_name="Teacher")
    MembershipFactory(hub=world.hub, user=user, role=Role.HUB_STAFF)
    cpd = past_event(world.hub)
    attended(cpd, ["attended", "absent"], name="Ann Teacher", email=ANN, user=user)
    upcoming = BookingFactory(event=EventFactory(hub=world.hub), name="Ann Teacher", email=ANN)
    other = BookingFactory(
        event=EventFactory(hub=world.other_hub, title="Ely network"),
        name="Ann Teacher",
        email="Ann.Teacher@example.org",
    )
    audit("events.booking.created", hub=world.hub, obj=upcoming, name="Ann Teacher", email=ANN)
    audit("events.booking.created", hub=world.other_hub, obj=other, email=ANN)
    return user


def test_a_hub_gets_only_what_it_holds(world, ann):
    data = selectors.person_data(email=ANN, hub=world.hub)
    assert sorted(b["event"] for b in data["bookings"]) == sorted(
        Booking.objects.filter(event__hub=world.hub, email__iexact=ANN).values_list(
            "event__title", flat=True
        )
    )
    assert "Ely network" not in json.dumps(data)
    assert [m["hub"] for m in data["memberships"]] == ["Wiltshire Music Connect"]
    assert {e["hub"] for e in data["audit_entries"]} == {"Wiltshire Music Connect"}
    assert data["account"]["email"] == ANN
    cpd = next(b for b in data["bookings"] if b["event"] == "CPD day")
    assert [(a["session"], a["status"]) for a in cpd["attendance"]] == [
        ("Morning", "attended"),
        ("Afternoon", "absent"),
    ]
    assert data["cpd_hours"] == 3.0


def test_the_other_hub_does_not_see_the_account_it_does_not_hold(world, ann):
    data = selectors.person_data(email=ANN, hub=world.other_hub)
    assert [b["event"] for b in data["bookings"]] == ["Ely network"]
    assert data["account"] is None
    assert data["memberships"] == []


def test_a_persons_own_request_covers_every_hub(world, ann):
    data = selectors.person_data(email=ann.email, user=ann)
    assert sorted(b["hub"] for b in data["bookings"]) == [
        "Cambridgeshire Music",
        "Wiltshire Music Connect",
        "Wiltshire Music Connect",
    ]


def test_the_summary_escapes_what_people_typed(world):
    BookingFactory(
        event=EventFactory(hub=world.hub), name="<script>alert(1)</script>", email="x@example.org"
    )
    data, html = read_zip(data_zip(selectors.person_data(email="x@example.org", hub=world.hub)))
    assert data["bookings"][0]["name"] == "<script>alert(1)</script>"
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_erasure_keeps_counts_and_hours_and_leaves_nothing_personal(client_for, world, ann):
    admin = world.users["admin"]
    # Staff looked at her CPD record: the audit entry keeps the page's address, with her email.
    client_for("staff").get("/wiltshire/manage/events/cpd/", {"email": ANN})
    assert "ann.teacher%40example.org" in str(
        AuditLog.objects.get(action="read.events.cpd_record").data
    )
    event = Booking.objects.get(email=ANN, event__title="CPD day").event
    booked = event.bookings.filter(status=BookingStatus.CONFIRMED).count()
    hours = hub_cpd_hours(world.hub)

    outcome = services.person_erase(hub=world.hub, email=ANN, by=admin)

    assert (outcome.bookings, outcome.memberships) == (2, 1)
    # Cambridgeshire still holds a booking of hers, so her account stays for it.
    assert outcome.account_kept_for_other_hubs and not outcome.account_scrubbed
    assert event.bookings.filter(status=BookingStatus.CONFIRMED).count() == booked
    assert hub_cpd_hours(world.hub) == hours
    after = selectors.person_data(email=ANN, hub=world.hub)
    assert not selectors.holds_anything(after), after
    assert (
        "ann"
        not in json.dumps(
            list(AuditLog.objects.filter(hub=world.hub).values_list("data", flat=True))
        ).lower()
    )
    erased = AuditLog.objects.get(action="privacy.person.erased")
    assert erased.data["bookings_anonymised"] == 2
    assert erased.actor == admin
    # Cambridgeshire's data is not Wiltshire's to erase.
    assert selectors.person_data(email=ANN, hub=world.other_hub)["bookings"]
    assert AuditLog.objects.filter(hub=world.other_hub, data__icontains=ANN).exists()


def test_erasure_closes_the_account_when_no_other_hub_holds_them(world, ann):
    Booking.objects.filter(event__hub=world.other_hub).delete()
    AuditLog.objects.filter(hub=world.other_hub).delete()
    outcome = services.person_erase(hub=world.hub, email=ANN, by=world.users["admin"])
    assert outcome.account_scrubbed
    ann.refresh_from_db()
    assert not ann.is_active and not ann.has_usable_password()
    assert (ann.first_name, ann.last_name) == ("", "")
    assert ANN not in ann.email
    assert not selectors.holds_anything(selectors.person_data(email=ANN))
    assert not Membership.objects.filter(user=ann).exists()


def test_erasing_twice_changes_nothing_more(world, ann):
    services.person_erase(hub=world.hub, email=ANN, by=world.users["admin"])
    second = services.person_erase(hub=world.hub, email=ANN, by=world.users["admin"])
    assert (second.bookings, second.memberships, second.audit_entries) == (0, 0, 0)


def test_anonymised_bookings_free_the_email_for_a_new_booking(world):
    event = EventFactory(hub=world.hub)
    BookingFactory(event=event, email=ANN)
    services.person_erase(hub=world.hub, email=ANN, by=world.users["admin"])
    BookingFactory(event=event, email=ANN)
    assert event.bookings.count() == 2


@pytest.mark.parametrize("who", ["plain", "superuser"])
def test_a_hub_cannot_close_an_account_it_does_not_hold(world, who):
    user = world.users["plain"]
    if who == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
        MembershipFactory(hub=world.hub, user=user, role=Role.HUB_ADMIN)
    outcome = services.person_erase(hub=world.hub, email=user.email, by=world.users["admin"])
    assert not outcome.account_scrubbed
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password()

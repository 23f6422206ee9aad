"""Staff pages: each action through its form, and bad input answered with a message."""

from decimal import Decimal

from django.utils import timezone

from tutti.loans.models import Charge, Fee, Instrument, Loan, Repair, Status
from tutti.loans.tests.factories import InstrumentFactory, LoanFactory, RequestFactory

M = "/wiltshire/manage/loans"


def test_a_fee_below_zero_is_refused_on_the_page(client_for, world):
    response = client_for("staff").post(f"{M}/fees/", {"fee": "1", "key": "violin", "amount": "-5"})
    assert response.status_code == 400
    assert "below zero" in response.content.decode()
    assert not Fee.objects.exists()


def test_a_reduced_rate_above_the_full_fee_is_refused_on_the_page(client_for, world):
    response = client_for("staff").post(
        f"{M}/fees/",
        {"settings": "1", "priority_rule": "first_come", "low_income_percent": "150"},
    )
    assert response.status_code == 400
    assert "never charge more than the full fee" in response.content.decode()


def test_a_class_set_goes_to_a_school_and_a_busy_instrument_stops_it(client_for, world):
    for n in range(3):
        InstrumentFactory(
            hub=world.hub, owner=world.partner, asset_tag=f"UKE-{n}", kind="ukulele", size="soprano"
        )
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="UKE-9", status=Status.ON_LOAN)
    today = timezone.localdate().isoformat()
    client = client_for("staff")
    data = {"school": world.school.pk, "email": "", "starts_on": today, "due_on": today}
    response = client.post(f"{M}/loans/school/", {**data, "asset_tags": "UKE-0\nUKE-9"})
    assert response.status_code == 400
    assert "UKE-9 is on loan" in response.content.decode()
    assert not Loan.objects.exists()
    response = client.post(f"{M}/loans/school/", {**data, "asset_tags": "uke-0, UKE-1\nUKE-2"})
    assert response.status_code == 302
    assert Loan.objects.filter(school=world.school).count() == 3


def test_returning_twice_is_refused_and_damage_sends_it_to_repair(client_for, world):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    loan = LoanFactory(hub=world.hub, instrument=instrument, school=world.school)
    client = client_for("staff")
    data = {
        "return": "1",
        "returned_on": timezone.localdate().isoformat(),
        "condition": "damaged",
        "fault": "",
    }
    assert client.post(f"{M}/loans/{loan.pk}/", data).status_code == 302
    assert Repair.objects.get().instrument == instrument
    again = client.post(f"{M}/loans/{loan.pk}/", data)
    assert again.status_code == 400
    assert "not on loan" in again.content.decode()


def test_staff_make_the_terms_charges_and_mark_one_paid(client_for, world):
    Fee.objects.create(hub=world.hub, family="strings", amount=Decimal("30"))
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    found = RequestFactory(hub=world.hub, school=world.school, status="issued")
    LoanFactory(hub=world.hub, instrument=instrument, request=found)
    client = client_for("staff")
    today = timezone.localdate()
    query = "?year=" + str(today.year if today.month >= 9 else today.year - 1)
    query += "&term=" + (
        "autumn" if today.month >= 9 else "spring" if today.month <= 3 else "summer"
    )
    assert client.post(f"{M}/charges/{query}", {"make": "1"}).status_code == 302
    charge = Charge.objects.get()
    assert charge.amount == Decimal("30")
    page = client.get(f"{M}/charges/{query}").content.decode()
    assert found.pupil_name in page
    client.post(
        f"{M}/charges/{query}", {"paid": "1", "charge": charge.pk, "paid_on": today.isoformat()}
    )
    charge.refresh_from_db()
    assert charge.paid_on == today
    assert client.post(f"{M}/charges/{query}", {"paid": "1", "charge": "x"}).status_code == 404


def test_a_wrong_tag_when_lending_is_explained_beside_the_field(client_for, world):
    found = RequestFactory(hub=world.hub, school=world.school)
    today = timezone.localdate().isoformat()
    response = client_for("staff").post(
        f"{M}/requests/{found.pk}/",
        {"issue": "1", "asset_tag": "NOPE-1", "starts_on": today, "due_on": today},
    )
    assert response.status_code == 400
    assert "No instrument has the asset tag" in response.content.decode()
    assert Instrument.objects.count() == 0

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tutti.loans.models import Instrument, InstrumentRequest, Loan, Repair
from tutti.loans.tokens import follow_token


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    kind = "violin"
    size = "1/2"
    maker = "Stentor"
    asset_tag = factory.Sequence(lambda n: f"WMC-{n:05d}")
    location = "Devizes store"
    value = Decimal("120.00")
    funding_source = "Capital grant 2024"


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstrumentRequest

    kind = "violin"
    size = "1/2"
    first_name = "Ava"
    last_name = factory.Sequence(lambda n: f"Pupil{n}")
    year_group = "Year 4"
    contact_name = "Sam Parent"
    contact_email = factory.Sequence(lambda n: f"parent{n}@example.org")


class LoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loan

    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=300))


class RepairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repair

    fault = "Broken bridge"
    opened_on = factory.LazyFunction(timezone.localdate)


def follow_path(hub, what: str, key) -> str:
    return f"/{hub.slug}/instruments/follow/{follow_token(hub_id=hub.pk, what=what, key=key)}/"


def store_for(w):
    """The partner's instrument, a waiting request, an open loan and a repair in Wiltshire."""
    instrument = Instrument.objects.filter(hub=w.hub, asset_tag="WMC-MATRIX").first()
    if instrument is None:
        instrument = InstrumentFactory(hub=w.hub, owner=w.partner, asset_tag="WMC-MATRIX")
        lent = InstrumentFactory(hub=w.hub, owner=w.partner, asset_tag="WMC-LENT", status="on_loan")
        RequestFactory(hub=w.hub, school=w.school)
        done = RequestFactory(hub=w.hub, school=w.school, status="issued")
        LoanFactory(hub=w.hub, instrument=lent, request=done)
        RepairFactory(instrument=instrument)
    return {
        "instrument": instrument,
        "request": InstrumentRequest.objects.filter(hub=w.hub, status="waiting").first(),
        "loan": Loan.objects.filter(hub=w.hub).first(),
        "repair": Repair.objects.filter(instrument=instrument).first(),
    }

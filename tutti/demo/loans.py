"""The Music Partnership's instrument library: invented, labelled as such, on real schools.

Several thousand instruments across its three music services, lent to pupils (through their
families' requests) and to schools for whole-class teaching over three years, so that the
impact figure "Instruments on loan" counts the library's real loans: 9,000 in the latest year,
as the hub reports. Also a waiting list, remission cases, a few overdue loans and repairs, and
this term's charges. Every pupil and family here is invented; addresses are at example.org.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from tutti.accounts.models import User
from tutti.core.page_cache import bump_hub
from tutti.core.years import current_academic_year
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.loans import services
from tutti.loans.models import (
    Agreement,
    Condition,
    Decision,
    Fee,
    Ground,
    Instrument,
    InstrumentRequest,
    Loan,
    LoanSettings,
    Repair,
    RequestStatus,
    Status,
    Term,
)

SERVICES = {
    "Entrust Music Service Staffordshire": "ENT",
    "Stoke-on-Trent Music Service": "SOT",
    "Telford & Wrekin Music Service": "TWM",
}
# (type, size, share of the store, value in pounds)
STOCK = [
    ("violin", "1/4", 8, 95),
    ("violin", "1/2", 10, 110),
    ("violin", "3/4", 7, 130),
    ("violin", "4/4", 4, 180),
    ("viola", '15"', 2, 220),
    ("cello", "1/2", 3, 450),
    ("cello", "3/4", 2, 520),
    ("double-bass", "1/2", 1, 900),
    ("flute", "curved head", 6, 240),
    ("clarinet", "B flat", 7, 280),
    ("saxophone", "alto", 3, 650),
    ("trumpet", "", 7, 260),
    ("cornet", "", 5, 240),
    ("trombone", "plastic", 4, 140),
    ("euphonium", "", 1, 1100),
    ("french-horn", "single", 1, 950),
    ("guitar", "3/4", 6, 90),
    ("ukulele", "soprano", 14, 35),
    ("keyboard", "", 4, 150),
    ("drum-kit", "", 1, 600),
    ("percussion", "", 3, 200),
    ("adapted", "", 1, 800),
]
FUNDING = ["Capital grant 2024", "Hub grant", "Music service funds", "Local charity gift"]
STORE = 9_600
# Loans counted in the figure, by academic year: long loans still open, then added each year.
LONG, ADDED = 8_400, 300
WAITING = 60
FIRST_NAMES = ["Ava", "Noah", "Isla", "Leo", "Mia", "Oliver", "Amelia", "Arlo", "Ivy", "Theo"]
SURNAMES = ["Patel", "Smith", "Khan", "Jones", "Evans", "Walker", "Hughes", "Begum", "Wood"]
GROUNDS = [Ground.FSM, Ground.PUPIL_PREMIUM, Ground.LOOKED_AFTER, Ground.YOUNG_CARER]
AGREEMENT = """This agreement is invented for the Tutti demo.

1. Keep the instrument in its case, away from heat and damp, and bring it to every lesson.
2. Tell the music service at once if it is lost, stolen or damaged: do not repair it yourself.
3. Return it by the date given, or when lessons stop, in the condition it was lent.
4. Hire fees are due each term unless free or reduced hire has been granted."""


def _instruments(hub: Hub, owners: list[Organisation], rng: random.Random) -> list[Instrument]:
    weights = [share for *_, share, _ in STOCK]
    made = []
    for n in range(STORE):
        kind, size, _, value = rng.choices(STOCK, weights=weights)[0]
        owner = owners[n % len(owners)]
        prefix = SERVICES.get(owner.name, "TMP")
        made.append(
            Instrument(
                hub=hub,
                kind=kind,
                size=size,
                maker=rng.choice(["Stentor", "Yamaha", "Jupiter", "Hohner", "Trevor James"]),
                serial=f"{prefix}{n:06d}",
                asset_tag=f"{prefix}-{n:05d}",
                owner=owner,
                location=f"{owner.name.split(' Music')[0]} store",
                condition=rng.choice([Condition.GOOD, Condition.GOOD, Condition.FAIR]),
                purchased_on=dt.date(2015 + n % 10, 9, 1),
                value=Decimal(value),
                funding_source=FUNDING[n % len(FUNDING)],
                service_due_on=dt.date(2026 + n % 3, 1 + n % 12, 1),
            )
        )
    return Instrument.objects.bulk_create(made, batch_size=2000)


def _request(hub, n, instrument, schools, rng, status, created) -> InstrumentRequest:
    ground = GROUNDS[n % 4] if n % 5 == 0 else Ground.LOW_INCOME if n % 13 == 0 else Ground.NONE
    decision = Decision.NOT_ASKED
    if ground:
        decision = Decision.PENDING if status == RequestStatus.WAITING else Decision.GRANTED
    request = InstrumentRequest(
        hub=hub,
        kind=instrument.kind if instrument else rng.choice(STOCK)[0],
        size=instrument.size if instrument else "",
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(SURNAMES),
        school=rng.choice(schools),
        year_group=f"Year {rng.randint(3, 9)}",
        contact_name="Invented parent",
        contact_email=f"family{n}@example.org",
        ground=ground,
        decision=decision,
        evidence_seen="Letter seen (demo)" if decision == Decision.GRANTED else "",
        status=status,
    )
    request.created_at = created
    return request


def _waiting(hub, schools, rng, now) -> list[InstrumentRequest]:
    made = []
    for n in range(WAITING):
        kind, size, *_ = rng.choice(STOCK[:12])
        request = _request(hub, 100_000 + n, None, schools, rng, RequestStatus.WAITING, now)
        request.kind, request.size = kind, size
        request.created_at = now - dt.timedelta(days=rng.randint(1, 120), hours=n)
        made.append(request)
    return made


def _loans(hub, store, schools, rng) -> tuple[list[InstrumentRequest], list[Loan]]:
    """Loans for the figure: LONG from three years ago still open; ADDED a year that ended."""
    latest = current_academic_year() - 1
    plans: list[tuple[Instrument, int, int | None]] = [(i, latest - 2, None) for i in store[:LONG]]
    # (instrument, the year the loan starts, the year it is returned in or None: still out).
    plans += [(i, latest - 1, latest) for i in store[LONG : LONG + ADDED]]
    plans += [(i, latest, latest) for i in store[LONG + ADDED : LONG + 2 * ADDED]]
    # This year's new loans, still open.
    plans += [(i, latest + 1, None) for i in store[LONG + 2 * ADDED : LONG + 3 * ADDED]]
    requests, loans = [], []
    today = timezone.localdate()
    for n, (instrument, start, back) in enumerate(plans):
        starts_on = dt.date(start, 9, 5)
        # Back by the end of the summer term: of the year it is returned in, or next summer.
        due_on = dt.date(back + 1 if back is not None else today.year + 1, 7, 20)
        if back is None and n % 200 == 7:
            due_on = today - dt.timedelta(days=10 + n % 20)  # a few overdue
        loan = Loan(
            hub=hub,
            instrument=instrument,
            starts_on=starts_on,
            due_on=max(due_on, starts_on),
            returned_on=due_on if back is not None else None,
            return_condition=Condition.GOOD if back is not None else "",
            accepted_by="Invented parent" if n % 9 else "",
        )
        if instrument.kind in ("ukulele", "percussion", "keyboard") or n % 3 == 0:
            loan.school = rng.choice(schools)
            loan.batch = f"demo-{loan.school.pk}-{start}"
            loan.borrower_email = "music.lead@example.org"
        else:
            created = dt.datetime(start, 7, 1, 9, 0, tzinfo=dt.UTC)
            request = _request(hub, n, instrument, schools, rng, RequestStatus.ISSUED, created)
            requests.append(request)
            loan.request = request
            loan.borrower_email = request.contact_email
        loans.append(loan)
    return requests, loans


def load_loans(hubs: dict[str, Hub]) -> None:
    hub = hubs["the-music-partnership"]
    rng = random.Random(14)  # noqa: S311 - invented demo data, the same each time
    owners = list(Organisation.objects.filter(name__in=SERVICES).order_by("name"))
    schools = list(
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__hubs=hub, is_open=True
        ).order_by("urn")[:400]
    )
    if not owners or not schools:
        return
    LoanSettings.objects.create(
        hub=hub,
        low_income_percent=50,
        how_to_pay="Pay by bank transfer to The Music Partnership (demo: no real account), "
        "quoting the charge number.",
    )
    agreement = Agreement.objects.create(hub=hub, version=1, text=AGREEMENT)
    Fee.objects.bulk_create(
        [
            Fee(hub=hub, family="strings", amount=Decimal("30.00")),
            Fee(hub=hub, family="woodwind", amount=Decimal("35.00")),
            Fee(hub=hub, family="brass", amount=Decimal("35.00")),
            Fee(hub=hub, family="guitar", amount=Decimal("15.00")),
            Fee(hub=hub, family="keyboard", amount=Decimal("20.00")),
            Fee(hub=hub, family="percussion", amount=Decimal("20.00")),
            Fee(hub=hub, family="adapted", amount=Decimal("0.00")),
            Fee(hub=hub, kind="cello", amount=Decimal("45.00")),
            Fee(hub=hub, kind="double-bass", amount=Decimal("60.00")),
        ]
    )
    store = _instruments(hub, owners, rng)
    requests, loans = _loans(hub, store, schools, rng)
    now = timezone.now()
    requests += _waiting(hub, schools, rng, now)
    InstrumentRequest.objects.bulk_create(requests, batch_size=2000)
    for loan in loans:
        if loan.accepted_by:
            loan.agreement, loan.accepted_at = agreement, now
        if loan.request is not None:
            loan.request_id = loan.request.pk
    Loan.objects.bulk_create(loans, batch_size=2000)
    on_loan = [loan.instrument_id for loan in loans if loan.returned_on is None]
    Instrument.objects.filter(pk__in=on_loan).update(status=Status.ON_LOAN)
    spare = store[LONG + 3 * ADDED :]
    repairs = spare[:25]
    Instrument.objects.filter(pk__in=[i.pk for i in repairs]).update(status=Status.IN_REPAIR)
    Repair.objects.bulk_create(
        [
            Repair(
                instrument=i,
                fault=rng.choice(["Cracked bridge", "Stuck valve", "Split pad"]),
                sent_to="Invented repairer",
                opened_on=timezone.localdate(),
            )
            for i in repairs
        ]
    )
    Instrument.objects.filter(pk__in=[i.pk for i in spare[25:40]]).update(status=Status.RETIRED)
    staff = User.objects.filter(email="tmp.staff@example.org").first()
    if staff is not None:
        today = timezone.localdate()
        term = Term.AUTUMN if today.month >= 9 else Term.SPRING if today.month <= 3 else Term.SUMMER
        services.charges_make(hub=hub, year=current_academic_year(), term=term, by=staff)
    bump_hub(hub.pk)

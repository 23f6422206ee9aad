"""Reads for secondary transition. Every function takes the hub: nothing here crosses hubs.

The feeders of a secondary school are worked out each time from the register and the clusters
(the suggestion) and the decisions people made (confirm, add, remove); the transition picture
adds up the participation records and audits of those feeders in a fixed number of queries,
whatever the number of feeders or years.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from tutti.clusters.models import ClusterMember
from tutti.core.personal_data import ErasurePlan, iso, plural
from tutti.core.years import year_label
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.participation.models import (
    Ensemble,
    InstrumentFamily,
    SingingSupport,
    TuitionRecord,
    WcetProgramme,
)
from tutti.provision.models import SchoolAudit
from tutti.transition.models import (
    AT_SCHOOL,
    CARRIED_ON,
    PRIMARY_PHASES,
    RECEIVING_PHASES,
    FeederDecision,
    FeederState,
    Passport,
    PassportStatus,
)

# Each primary is suggested to this many of its nearest secondary schools.
NEAREST = 2
# The picture covers this academic year and the four before it.
PICTURE_YEARS = 5
# No figure about fewer pupils than this is shown (as in published school statistics).
SMALLEST_SHOWN = 10

EARTH_RADIUS_KM = 6371.0


def suggestion_rule(*, hub: Hub) -> str:
    """How the suggestion is made, in words for the page."""
    return (
        f"Tutti suggests each primary school in {hub.name}'s area to its {NEAREST} nearest "
        "secondary schools in the same local authority, measured in a straight line between "
        "the positions in the school register, and every primary school in a cluster whose one "
        "secondary school it is. Confirm the suggestions that are right, remove the ones that are "
        "not, and add any primary school that is missing."
    )


def distance_km(a: Organisation, b: Organisation) -> float | None:
    """The straight-line (great-circle) distance between two schools' register positions."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def hub_schools(*, hub: Hub) -> QuerySet[Organisation]:
    return hub_organisations(hub=hub).filter(kind=OrganisationKind.SCHOOL)


def hub_school(*, hub: Hub, urn: int) -> Organisation | None:
    """A school of the hub's area by its URN (open or closed), or None."""
    return hub_schools(hub=hub).select_related("local_authority").filter(urn=urn).first()


def receiving_schools(*, hub: Hub) -> QuerySet[Organisation]:
    """The open secondary (and all-through) schools of the hub's area."""
    return hub_schools(hub=hub).filter(is_open=True, phase__in=RECEIVING_PHASES)


def is_primary(school: Organisation) -> bool:
    return school.kind == OrganisationKind.SCHOOL and school.phase in PRIMARY_PHASES


def is_receiving(school: Organisation) -> bool:
    return school.kind == OrganisationKind.SCHOOL and school.phase in RECEIVING_PHASES


@dataclass
class FeederRow:
    primary: Organisation
    distance_km: float | None
    # Why Tutti suggests it; empty when someone added it by hand.
    reasons: list[str] = field(default_factory=list)
    # "confirmed", "suggested" (nobody has decided yet) or "removed".
    state: str = "suggested"

    @property
    def is_feeder(self) -> bool:
        return self.state != FeederState.REMOVED

    @property
    def added(self) -> bool:
        return not self.reasons


def _nearest_reasons(
    *, hub: Hub, secondary: Organisation
) -> tuple[dict[int, Organisation], dict[int, list[str]]]:
    """Primaries of the secondary's local authority that have it among their nearest."""
    if secondary.local_authority_id is None or secondary.latitude is None:
        return {}, {}
    # The register's schools of the secondary's authority, if it is one of the hub's: without
    # the directory's partners (hub_organisations), whose OR keeps the database off its index.
    schools = list(
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL,
            local_authority__hubs=hub,
            is_open=True,
            local_authority_id=secondary.local_authority_id,
            phase__in=PRIMARY_PHASES | RECEIVING_PHASES,
            latitude__isnull=False,
            longitude__isnull=False,
        ).only("pk", "name", "town", "urn", "phase", "latitude", "longitude", "kind")
    )
    receivers = [s for s in schools if s.phase in RECEIVING_PHASES and s.pk != secondary.pk]
    # Ranking only compares distances, so a flat projection at the secondary's latitude will do
    # (a local authority spans well under a degree): a few multiplications per pair instead of
    # the trigonometry, which matters for an authority of 500 primaries and 100 secondaries.
    squash = math.cos(math.radians(secondary.latitude))

    def xy(school: Organisation) -> tuple[float, float]:
        return (school.longitude or 0.0) * squash, school.latitude or 0.0

    sx, sy = xy(secondary)
    others = [xy(r) for r in receivers]
    primaries, reasons = {}, {}
    ordinals = ["nearest", "second nearest", "third nearest"]
    for primary in (s for s in schools if s.phase in PRIMARY_PHASES):
        px, py = xy(primary)
        to_secondary = (px - sx) ** 2 + (py - sy) ** 2
        closer = 0
        for rx, ry in others:
            if (px - rx) ** 2 + (py - ry) ** 2 < to_secondary:
                closer += 1
                if closer >= NEAREST:
                    break
        if closer < NEAREST:
            primaries[primary.pk] = primary
            reasons[primary.pk] = [f"Its {ordinals[closer]} secondary school"]
    return primaries, reasons


def _cluster_reasons(
    *, hub: Hub, secondary: Organisation
) -> tuple[dict[int, Organisation], dict[int, list[str]]]:
    # A cluster says where its primaries go on to only when it has one secondary school.
    # Two plain queries: counting secondaries in the database took a correlated subquery.
    cluster_ids = list(
        ClusterMember.objects.filter(organisation=secondary, cluster__hub=hub).values_list(
            "cluster_id", flat=True
        )
    )
    everyone = list(
        ClusterMember.objects.filter(
            cluster_id__in=cluster_ids,
            organisation__kind=OrganisationKind.SCHOOL,
            organisation__is_open=True,
        )
        .select_related("organisation", "cluster")
        .order_by("cluster__name")
    )
    receiving: dict[int, int] = defaultdict(int)
    for member in everyone:
        if member.organisation.phase in RECEIVING_PHASES:
            receiving[member.cluster_id] += 1
    members = [
        m
        for m in everyone
        if receiving[m.cluster_id] == 1 and m.organisation.phase in PRIMARY_PHASES
    ]
    primaries: dict[int, Organisation] = {}
    reasons: dict[int, list[str]] = defaultdict(list)
    for member in members:
        primaries[member.organisation_id] = member.organisation
        reasons[member.organisation_id].append(f"In the {member.cluster.name} cluster")
    return primaries, reasons


def feeder_rows(*, hub: Hub, secondary: Organisation) -> list[FeederRow]:
    """Every primary suggested or decided for this secondary, nearest first; removed ones
    included (``state`` says). Four queries."""
    near, near_reasons = _nearest_reasons(hub=hub, secondary=secondary)
    clustered, cluster_reasons = _cluster_reasons(hub=hub, secondary=secondary)
    decisions = {
        d.primary_id: d
        for d in FeederDecision.objects.filter(hub=hub, secondary=secondary).select_related(
            "primary"
        )
    }
    primaries = near | clustered | {pk: d.primary for pk, d in decisions.items()}
    rows = []
    for pk, primary in primaries.items():
        decision = decisions.get(pk)
        rows.append(
            FeederRow(
                primary=primary,
                distance_km=distance_km(primary, secondary),
                reasons=near_reasons.get(pk, []) + cluster_reasons.get(pk, []),
                state=decision.state if decision is not None else "suggested",
            )
        )
    rows.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0.0, r.primary.name))
    return rows


def feeders_of(*, hub: Hub, secondary: Organisation) -> list[FeederRow]:
    """The primaries the picture counts: confirmed, added, and suggested ones not removed."""
    return [r for r in feeder_rows(hub=hub, secondary=secondary) if r.is_feeder]


def primary_choices(*, hub: Hub, secondary: Organisation) -> QuerySet[Organisation]:
    """Open primaries of the hub's area someone may add as a feeder, nearest area first."""
    return (
        hub_schools(hub=hub)
        .filter(is_open=True, phase__in=PRIMARY_PHASES)
        .exclude(pk=secondary.pk)
        .order_by("name", "town")
        .only("pk", "name", "town", "urn")
    )


def secondaries_fed_by(*, hub: Hub, primary: Organisation) -> list[Organisation]:
    """Secondaries that have confirmed this primary as a feeder."""
    return list(
        Organisation.objects.filter(
            pk__in=FeederDecision.objects.filter(
                hub=hub, primary=primary, state=FeederState.CONFIRMED
            ).values("secondary_id")
        ).order_by("name")
    )


# The picture ---------------------------------------------------------------------------------


def shown(count: int | None) -> str:
    """A count of pupils as a page may show it: fewer than 10 (but not none) is not shown."""
    if count is None:
        return "\u2013"
    if 0 < count < SMALLEST_SHOWN:
        return f"fewer than {SMALLEST_SHOWN}"
    return f"{count:,}"


def year_groups(text: str) -> list[int]:
    """The year groups a record names: "Year 4" → [4], "Years 4-5" → [4, 5], "Y3 and Y4" →
    [3, 4]; [] when it names none."""
    numbers = [int(n) for n in re.findall(r"\d+", text) if 1 <= int(n) <= 13]
    if len(numbers) == 2 and re.search(r"\d\s*(-|\u2013|to)\s*\D{0,5}\d", text):
        return list(range(min(numbers), max(numbers) + 1))
    return sorted(set(numbers))


def cohort_share(*, record_year: int, groups: list[int], year6_in: int) -> float:
    """The share of a programme's pupils who are in Year 6 in ``year6_in``: a class in Year 4
    in 2024/25 is in Year 6 in 2026/27."""
    if not groups:
        return 0.0
    matching = sum(1 for g in groups if record_year + (6 - g) == year6_in)
    return matching / len(groups)


@dataclass
class YearRow:
    year: int
    wcet_pupils: int = 0
    wcet_continued: int = 0
    wcet_schools: int = 0
    tuition_pupils: int = 0
    ensemble_members: int = 0
    singing_schools: int = 0

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def has_records(self) -> bool:
        return bool(self.wcet_pupils or self.tuition_pupils or self.ensemble_members) or bool(
            self.singing_schools
        )


@dataclass
class Bar:
    label: str
    pupils: int

    @property
    def shown(self) -> str:
        return shown(self.pupils)


@dataclass
class FeederAudit:
    school: Organisation
    audit: SchoolAudit | None


@dataclass
class Picture:
    secondary: Organisation
    feeders: list[FeederRow]
    years: list[YearRow]
    wcet: list[WcetProgramme]
    # Family label → pupils having lessons in each year (same order as ``years``).
    tuition: list[tuple[str, list[int]]]
    ensembles: list[Ensemble]
    singing: list[tuple[Organisation, list[str]]]
    audits: list[FeederAudit]
    hub_ensembles: list[Ensemble]
    # What the pupils arriving in Year 7 next September played in whole-class teaching.
    intake_year: int
    chart: list[Bar]
    chart_unknown: int
    passports_sent: int

    @property
    def has_records(self) -> bool:
        return any(y.has_records for y in self.years)


def _wcet_by_year(
    records: list[WcetProgramme], rows: dict[int, YearRow], year6_in: int
) -> tuple[list[Bar], int]:
    played: dict[str, float] = defaultdict(float)
    names: dict[str, str] = {}
    unknown = 0.0
    schools: dict[int, set[int]] = defaultdict(set)
    for r in records:
        row = rows[r.year]
        row.wcet_pupils += r.pupils
        row.wcet_continued += r.continued
        schools[r.year].add(r.school_id)
        groups = year_groups(r.year_groups)
        if not groups:
            unknown += r.pupils if r.year == year6_in else 0
            continue
        share = cohort_share(record_year=r.year, groups=groups, year6_in=year6_in)
        if share:
            key = " ".join(r.instruments.lower().split())
            names.setdefault(key, r.instruments.strip().capitalize())
            played[key] += r.pupils * share
    for year, ids in schools.items():
        rows[year].wcet_schools = len(ids)
    bars = sorted(
        (Bar(label=names[k], pupils=round(v)) for k, v in played.items() if round(v)),
        key=lambda b: (-b.pupils, b.label),
    )
    return bars, round(unknown)


def picture(*, hub: Hub, secondary: Organisation, year: int) -> Picture:
    """What the primaries feeding ``secondary`` offered in ``year`` and the four years before,
    from the participation records and audits. A fixed number of queries."""
    feeders = feeders_of(hub=hub, secondary=secondary)
    ids = [f.primary.pk for f in feeders]
    years = list(range(year - PICTURE_YEARS + 1, year + 1))
    rows = {y: YearRow(year=y) for y in years}
    in_years = {"hub": hub, "school_id__in": ids, "year__in": years}

    wcet = list(
        WcetProgramme.objects.filter(**in_years)
        .select_related("school")
        .order_by("-year", "school__name")
    )
    # Pupils in Year 6 this year arrive in Year 7 next September.
    chart, unknown = _wcet_by_year(wcet, rows, year6_in=year)

    families = dict(InstrumentFamily.choices)
    tuition: dict[str, list[int]] = {}
    for t in (
        TuitionRecord.objects.filter(**in_years)
        .values("family", "year")
        .annotate(pupils=Sum("pupils"))
        .order_by("family", "year")
    ):
        label = str(families.get(t["family"], t["family"]))
        tuition.setdefault(label, [0] * len(years))[years.index(t["year"])] = t["pupils"]
        rows[t["year"]].tuition_pupils += t["pupils"]

    ensembles = list(
        Ensemble.objects.filter(**in_years).select_related("school").order_by("-year", "name")
    )
    for e in ensembles:
        rows[e.year].ensemble_members += e.members

    singing: dict[int, tuple[Organisation, list[str]]] = {}
    latest_singing = year
    singing_counts: dict[int, set[int]] = defaultdict(set)
    for s in (
        SingingSupport.objects.filter(**in_years)
        .select_related("school")
        .order_by("-year", "school__name")
    ):
        singing_counts[s.year].add(s.school_id)
        if not singing or s.year == latest_singing:
            latest_singing = s.year
            entry = singing.setdefault(s.school_id, (s.school, []))
            entry[1].append(s.get_kind_display())
    for y, schools in singing_counts.items():
        rows[y].singing_schools = len(schools)

    audits: dict[int, SchoolAudit] = {}
    for a in SchoolAudit.objects.filter(hub=hub, school_id__in=ids, year__lte=year).order_by(
        "school_id", "-year"
    ):
        audits.setdefault(a.school_id, a)

    latest = Ensemble.objects.filter(hub=hub, year__lte=year).order_by("-year").values("year")[:1]
    hub_ensembles = list(
        Ensemble.objects.filter(hub=hub, school__isnull=True, year__in=latest)
        .select_related("partner")
        .order_by("name")[:40]
    )
    passports_sent = Passport.objects.filter(
        hub=hub, secondary=secondary, status__in=AT_SCHOOL
    ).count()
    return Picture(
        secondary=secondary,
        feeders=feeders,
        years=[rows[y] for y in reversed(years)],
        wcet=wcet,
        tuition=sorted((k, v[::-1]) for k, v in tuition.items()),
        ensembles=ensembles,
        singing=list(singing.values()),
        audits=[FeederAudit(school=f.primary, audit=audits.get(f.primary.pk)) for f in feeders],
        hub_ensembles=hub_ensembles,
        intake_year=year + 1,
        chart=chart,
        chart_unknown=unknown,
        passports_sent=passports_sent,
    )


# Passports -----------------------------------------------------------------------------------


def passports_to(*, hub: Hub, school: Organisation) -> QuerySet[Passport]:
    """Passports families have sent to this secondary school (not drafts, not withdrawn)."""
    return (
        Passport.objects.filter(hub=hub, secondary=school, status__in=AT_SCHOOL)
        .select_related("primary")
        .order_by("-sent_at")
    )


def passports_from(*, hub: Hub, school: Organisation) -> QuerySet[Passport]:
    """Passports sent from this primary school, wherever they went."""
    return (
        Passport.objects.filter(hub=hub, primary=school, status__in=AT_SCHOOL)
        .select_related("secondary")
        .order_by("-sent_at")
    )


def passport_at_school(*, hub: Hub, school: Organisation, pk: int) -> Passport | None:
    return (
        passports_to(hub=hub, school=school)
        .select_related("partner", "acknowledged_by", "contacted_by")
        .filter(pk=pk)
        .first()
    )


def passport_get(*, hub: Hub, pk: int) -> Passport | None:
    return (
        Passport.objects.filter(hub=hub, pk=pk)
        .select_related("primary", "secondary", "partner")
        .first()
    )


@dataclass
class Continuation:
    """The continuation figure for one intake: of the passports sent, how many young
    musicians carried on in Year 7."""

    intake_year: int
    sent: int
    recorded: int
    carried_on: int

    @property
    def is_shown(self) -> bool:
        return self.sent >= SMALLEST_SHOWN

    @property
    def percent(self) -> int:
        return round(100 * self.carried_on / self.sent) if self.sent else 0

    @property
    def label(self) -> str:
        return f"September {self.intake_year}"


CONTINUATION_DEFINITION = (
    "Of the young musicians' passports families sent to a secondary school (and did not "
    "withdraw), the share whose new school recorded at a first contact that they carried on: "
    "joined a school or hub ensemble, or carried on lessons. Counted by the September the "
    f"pupils start Year 7, and shown only once at least {SMALLEST_SHOWN} passports are counted."
)


def continuation(*, hub: Hub, secondary: Organisation | None = None) -> list[Continuation]:
    """The continuation figure by intake year, newest first; for one secondary or the hub.
    Passports whose personal data has been deleted still count (their status is kept)."""
    passports = Passport.objects.filter(hub=hub, sent_at__isnull=False).exclude(
        status=PassportStatus.WITHDRAWN
    )
    if secondary is not None:
        passports = passports.filter(secondary=secondary)
    rows = (
        passports.values("intake_year")
        .annotate(
            sent=Count("pk"),
            recorded=Count("pk", filter=~Q(first_contact="")),
            carried_on=Count("pk", filter=Q(first_contact__in=CARRIED_ON)),
        )
        .order_by("-intake_year")
    )
    return [
        Continuation(
            intake_year=r["intake_year"],
            sent=r["sent"],
            recorded=r["recorded"],
            carried_on=r["carried_on"],
        )
        for r in rows
    ]


@dataclass
class SecondaryRow:
    school: Organisation
    confirmed: int
    passports: int


def secondary_rows(*, hub: Hub, schools: QuerySet[Organisation]) -> list[SecondaryRow]:
    """Each secondary with its confirmed feeders and the passports sent to it. Two queries."""
    listed = list(schools.order_by("name"))
    confirmed = dict(
        FeederDecision.objects.filter(
            hub=hub, secondary__in=[s.pk for s in listed], state=FeederState.CONFIRMED
        )
        .values("secondary_id")
        .annotate(n=Count("pk"))
        .values_list("secondary_id", "n")
    )
    sent = dict(
        Passport.objects.filter(hub=hub, secondary__in=[s.pk for s in listed], status__in=AT_SCHOOL)
        .values("secondary_id")
        .annotate(n=Count("pk"))
        .values_list("secondary_id", "n")
    )
    return [
        SecondaryRow(school=s, confirmed=confirmed.get(s.pk, 0), passports=sent.get(s.pk, 0))
        for s in listed
    ]


def partner_choices(*, hub: Hub) -> QuerySet[Organisation]:
    """The hub's partner organisations a family may name as their child's teachers."""
    return hub_organisations(hub=hub).exclude(kind=OrganisationKind.SCHOOL).order_by("name")


def person_passports(*, hub: Hub | None, email: str) -> QuerySet[Passport]:
    """The passports a family started with this address (a deleted one keeps no address)."""
    passports = Passport.objects.filter(family_email__iexact=email)
    return passports.filter(hub=hub) if hub is not None else passports


def person_data(*, hub: Hub | None, email: str) -> list[dict[str, object]]:
    """What the hub's transition passports hold about a family (every hub's, when ``hub`` is
    None: the person's own request), with what they said about their child. One query."""
    return [
        {
            "hub": p.hub.name,
            "status": p.get_status_display(),
            "started_at": iso(p.created_at),
            "sent_at": iso(p.sent_at),
            "your_email": p.family_email,
            "child": p.child_name,
            "starts_year_7": p.intake_year,
            "primary_school": p.primary.name if p.primary else None,
            "secondary_school": p.secondary.name if p.secondary else None,
            "instruments": p.instruments,
            "level": p.level,
            "years_learning": p.years_learning,
            "teacher": p.teacher,
            "taught_by": p.partner.name if p.partner else None,
            "ensembles": p.ensembles,
            "instrument_on_loan": p.loan_instrument,
            "next_steps": p.next_steps,
            "access_needs": p.access_needs,
            "keep_until_end_of_year_7": p.keep_longer,
            "acknowledged_at": iso(p.acknowledged_at),
            "first_contact": p.get_first_contact_display() if p.first_contact else None,
            "school_note": p.contact_note,
        }
        for p in person_passports(hub=hub, email=email)
        .select_related("hub", "primary", "secondary", "partner")
        .order_by("created_at", "pk")
    ]


def person_erase_plan(*, hub: Hub, email: str) -> ErasurePlan:
    """What erasing a family from the hub's passports will do, for privacy's erase page."""
    statuses = list(person_passports(hub=hub, email=email).values_list("status", flat=True))
    if not statuses:
        return ErasurePlan()
    at_school = sum(1 for s in statuses if s in AT_SCHOOL)
    changes = []
    if len(statuses) > at_school:
        gone = len(statuses) - at_school
        changes.append(
            f"{plural(gone, 'passport')} not sent (or withdrawn) {'is' if gone == 1 else 'are'}"
            " deleted."
        )
    if at_school:
        changes.append(
            f"{plural(at_school, 'passport')} a secondary school has lose"
            f"{'s' if at_school == 1 else ''} everything the family wrote, as at the end of"
            " retention: the school no longer sees it. An anonymous row (school, intake, first"
            " contact) stays for the continuation figure."
        )
    return ErasurePlan(changes=changes)

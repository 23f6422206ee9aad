"""Three years of participation records for each demo hub, so the impact page has a trend.

The years are the three complete academic years before this one (in 2026/27: 2023/24, 2024/25
and 2025/26). Every record is at one of the register's open schools in the hub's own local
authorities, or area based, and comes from one of the hub's demo partners; none came in a
partner's data return.

The Music Partnership's latest year reproduces the figures the hub publishes, wherever a figure
can honestly come from records: 129 ensembles for 2,455 young people, 375 schools supported
with singing, 257 schools with instrumental and/or vocal teaching for 7,350 pupils, 9,000
instruments on loan, 9,100 pupils in whole-class ensemble teaching in 155 schools, and 360
schools supported to deliver regular music. Its two earlier years are invented: a few percent
lower each year, as a growing hub's would be. Which schools, instruments and ensembles is
invented too; each school's partner is the music service of its local authority.

Not faked for The Music Partnership: "574 schools and settings" is the hub's own count, while
the page counts the register's schools in its three authorities. "36 music education partners"
would need 33 more partner organisations: the hub's page names only its three music services
and says there are "around thirty other music partners" without listing them (the Co-op
Foundation and Aardman appear in its social media posts as partners in single projects, not as
partners who send records), so the page shows 3. "20,000 pupils engaged weekly" is a rounded
estimate, and the page adds up the records (18,905).

Wiltshire Music Connect and Cambridgeshire Music publish no such figures in our sources (only
Cambridgeshire's "over 250 partners", which the demo does not try to reach), so EVERY FIGURE
FOR THEM IS INVENTED, scaled to their number of schools. Wiltshire's records all come from
Wiltshire Music Centre, the one partner the demo gives that hub; Cambridgeshire's from
Cambridgeshire Music, with a few schools supported by the two Bridge organisations its page
names.

Schools come and go between years: each kind of record covers a run of the area's schools (in
order of URN) that starts a little further along each year back, so some schools join and others
drop out. The same school keeps its instrument, and the same ensemble its name, from year to
year.
"""

from dataclasses import dataclass, field

from tutti.core.years import current_academic_year
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.participation.figures import FIGURES
from tutti.participation.models import (
    Ensemble,
    EnsembleKind,
    EnsembleLevel,
    InstrumentFamily,
    InstrumentLoans,
    LessonType,
    ParticipationRecord,
    Publication,
    SchoolSupport,
    SingingKind,
    SingingSupport,
    TuitionRecord,
    WcetProgramme,
)

# Each section's new records, written in one bulk insert per section at the end.
Records = dict[type[ParticipationRecord], list[ParticipationRecord]]

Three = tuple[int, int, int]


@dataclass(frozen=True)
class Plan:
    """A hub's records, as the figures will count them, for each demo year, oldest first."""

    # Local authority code: the partner delivering at its schools, and the area's name for the
    # partner's ensembles.
    areas: dict[str, tuple[str, str]]
    wcet_schools: Three
    wcet_pupils: Three
    # Of the pupils in whole-class teaching, the percentage who carried on afterwards.
    wcet_continued: Three
    teaching_schools: Three
    pupils_taught: Three
    ensembles: Three
    ensemble_members: Three
    # The n-th ensemble's area, in turn.
    ensemble_areas: tuple[str, ...]
    singing_schools: Three
    # Within the schools supported with singing, so that figure stays as planned.
    supported_schools: Three
    # Partner: (instruments on loan to pupils, to schools) in each year.
    loans: dict[str, tuple[tuple[int, int], ...]]
    # Partner: (what they support schools with, how many schools each year); the schools are
    # among those supported by the area's partners.
    other_support: dict[str, tuple[str, Three]] = field(default_factory=dict)


PLANS = {
    # The latest year is as the hub publishes it (the module docstring).
    "the-music-partnership": Plan(
        areas={
            "860": ("Entrust Music Service Staffordshire", "Staffordshire"),
            "861": ("Stoke-on-Trent Music Service", "Stoke-on-Trent"),
            "894": ("Telford & Wrekin Music Service", "Telford & Wrekin"),
        },
        wcet_schools=(143, 150, 155),
        wcet_pupils=(8310, 8720, 9100),
        wcet_continued=(36, 38, 40),
        teaching_schools=(246, 249, 257),
        pupils_taught=(6880, 7040, 7350),
        ensembles=(118, 124, 129),
        ensemble_members=(2210, 2340, 2455),
        ensemble_areas=("860", "861", "860", "894", "860"),
        singing_schools=(338, 361, 375),
        supported_schools=(327, 344, 360),
        loans={
            "Entrust Music Service Staffordshire": ((4300, 460), (4520, 480), (4700, 500)),
            "Stoke-on-Trent Music Service": ((1850, 270), (1930, 290), (2000, 300)),
            "Telford & Wrekin Music Service": ((1180, 180), (1240, 190), (1300, 200)),
        },
    ),
    # Invented: 232 schools, 202 of them primary or all-through.
    "wiltshire": Plan(
        areas={"865": ("Wiltshire Music Centre", "Wiltshire")},
        wcet_schools=(71, 78, 82),
        wcet_pupils=(2280, 2470, 2610),
        wcet_continued=(33, 35, 38),
        teaching_schools=(92, 97, 95),
        pupils_taught=(2460, 2590, 2620),
        ensembles=(31, 34, 38),
        ensemble_members=(610, 655, 720),
        ensemble_areas=("865",),
        singing_schools=(118, 131, 146),
        supported_schools=(109, 124, 137),
        loans={"Wiltshire Music Centre": ((640, 70), (690, 75), (730, 85))},
    ),
    # Invented: 255 schools, 211 of them primary or all-through.
    "cambridgeshire": Plan(
        areas={"873": ("Cambridgeshire Music", "Cambridgeshire")},
        wcet_schools=(98, 94, 101),
        wcet_pupils=(4150, 4010, 4380),
        wcet_continued=(41, 42, 44),
        teaching_schools=(124, 129, 133),
        pupils_taught=(3540, 3720, 3910),
        ensembles=(49, 52, 56),
        ensemble_members=(1030, 1120, 1205),
        ensemble_areas=("873",),
        singing_schools=(152, 160, 171),
        supported_schools=(146, 155, 164),
        loans={"Cambridgeshire Music": ((1760, 210), (1830, 230), (1920, 250))},
        other_support={
            "Royal Opera House": ("large_scale", (6, 8, 10)),
            "Norfolk and Norwich Festival": ("cpd", (5, 7, 9)),
        },
    ),
}

# Where in the area's schools each kind of record starts, in tenths of the way along, and how
# many schools further on it starts for each year back.
START = {"wcet": (0, 9), "tuition": (3, 6), "singing": (0, 4)}
WCET_PHASES = ("Primary", "All-through")
# Tuition at a secondary school is for about three times as many pupils as at a primary.
SECONDARY_PHASES = ("Secondary", "All-through", "Sixth form", "College")
INSTRUMENTS = ("Ukulele", "Violin", "Recorder", "Brass", "Samba drums", "Djembe")
# An ensemble's name, and its size relative to the others.
ENSEMBLE_KINDS = {
    EnsembleKind.ORCHESTRA: ("Orchestra", 45),
    EnsembleKind.BAND: ("Wind Band", 35),
    EnsembleKind.CHOIR: ("Choir", 40),
    EnsembleKind.ROCK_POP: ("Rock and Pop Group", 8),
    EnsembleKind.JAZZ: ("Jazz Band", 18),
    EnsembleKind.FOLK: ("Folk Ensemble", 14),
    EnsembleKind.MUSIC_TECH: ("Music Tech Group", 10),
    EnsembleKind.SEND_INCLUSIVE: ("Inclusive Ensemble", 8),
    EnsembleKind.OTHER: ("Samba Band", 20),
}


def demo_years() -> list[int]:
    """The three complete academic years the demo has records for, oldest first."""
    latest = current_academic_year() - 1
    return [latest - 2, latest - 1, latest]


def share_out(total: int, weights: list[int]) -> list[int]:
    """``total`` shared out in proportion to ``weights``, in whole numbers that add up to it."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    # What is left goes one each to the largest remainders, the earliest first on a tie.
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def run_of(schools: list[Organisation], start: int, count: int) -> list[tuple[int, Organisation]]:
    """``count`` schools from ``start`` on, wrapping round, each with its place in the list."""
    if count > len(schools):
        raise RuntimeError(f"The area has too few schools for {count} records.")
    return [((start + i) % len(schools), schools[(start + i) % len(schools)]) for i in range(count)]


def load_participation(hubs: dict[str, Hub]) -> list[int]:
    """Load every demo hub's records; returns the years they are for."""
    years = demo_years()
    records: Records = {
        model: []
        for model in (
            WcetProgramme,
            TuitionRecord,
            Ensemble,
            SingingSupport,
            SchoolSupport,
            InstrumentLoans,
        )
    }
    for slug, plan in PLANS.items():
        hub = hubs[slug]
        partners = dict(
            Organisation.objects.filter(partnerships__hub=hub).values_list("name", "pk")
        )
        schools = list(
            Organisation.objects.filter(
                kind=OrganisationKind.SCHOOL,
                is_open=True,
                local_authority__in=hub.local_authorities.all(),
            )
            .select_related("local_authority")
            .order_by("urn")
        )
        for i, year in enumerate(years):
            _plan_year(
                plan=plan,
                i=i,
                back=len(years) - 1 - i,
                hub=hub,
                year=year,
                partners=partners,
                schools=schools,
                records=records,
            )
    for model, objects in records.items():
        model.objects.bulk_create(objects)
    _publish(hubs, years)
    return years


# What the public impact pages show. The Music Partnership publishes the figures of its own
# website (the continuation rate and schools engaged are not among them); Wiltshire has not yet
# published its latest year, so its staff see the "Publish" step the demo can walk through.
TMP_PUBLISHES = [
    "schools-in-area",
    "schools-teaching",
    "pupils-taught",
    "ensembles",
    "ensemble-members",
    "schools-singing",
    "wcet-pupils",
    "wcet-schools",
    "schools-supported",
    "instruments-on-loan",
    "partners",
    "pupils-weekly",
]


def _publish(hubs: dict[str, Hub], years: list[int]) -> None:
    every = [f.key for f in FIGURES]
    Publication.objects.bulk_create(
        [
            Publication(hub=hubs["the-music-partnership"], year=y, figures=TMP_PUBLISHES)
            for y in years
        ]
        + [Publication(hub=hubs["cambridgeshire"], year=y, figures=every) for y in years]
        + [Publication(hub=hubs["wiltshire"], year=y, figures=every) for y in years[:-1]]
    )


def _plan_year(
    *,
    plan: Plan,
    i: int,
    back: int,
    hub: Hub,
    year: int,
    partners: dict[str, int],
    schools: list[Organisation],
    records: Records,
) -> None:
    """One year of one hub's records: ``i`` is the year's place in the plan, ``back`` how many
    years before the latest it is."""
    # Ids, not objects: setting thousands of relations is much of the time a load takes.
    common = {"hub_id": hub.pk, "year": year}

    def partner(school: Organisation) -> int:
        la = school.local_authority
        if la is None:  # the schools were chosen by their local authority
            raise RuntimeError(f"{school} has no local authority.")
        return partners[plan.areas[la.code][0]]

    def start(section: str, among: list[Organisation]) -> int:
        share, step = START[section]
        return len(among) * share // 10 + back * step

    primaries = [s for s in schools if s.phase in WCET_PHASES]
    wcet = run_of(primaries, start("wcet", primaries), plan.wcet_schools[i])
    wcet_pks = {s.pk for _, s in wcet}
    # A class, or more at a larger school, in the ratio 2:3:2:4 by turns; each school keeps
    # its share from year to year.
    class_sizes = [(2, 3, 2, 4)[n % 4] for n, _ in wcet]
    for (n, school), pupils in zip(wcet, share_out(plan.wcet_pupils[i], class_sizes), strict=True):
        records[WcetProgramme].append(
            WcetProgramme(
                **common,
                partner_id=partner(school),
                school_id=school.pk,
                year_groups="Year 4" if pupils <= 60 else "Years 4-5",
                instruments=INSTRUMENTS[n % len(INSTRUMENTS)],
                pupils=pupils,
                weeks=12 if n % 7 == 0 else 30,
                lesson_minutes=45,
                continued=(pupils * plan.wcet_continued[i] + 50) // 100,
            )
        )

    teachable = [s for s in schools if s.phase != "Nursery"]
    taught = run_of(teachable, start("tuition", teachable), plan.teaching_schools[i])
    sizes = [3 if s.phase in SECONDARY_PHASES else 1 for _, s in taught]
    families, lesson_types = InstrumentFamily.values, LessonType.values
    for (n, school), pupils in zip(taught, share_out(plan.pupils_taught[i], sizes), strict=True):
        records[TuitionRecord].append(
            TuitionRecord(
                **common,
                partner_id=partner(school),
                school_id=school.pk,
                family=families[n % len(families)],
                lesson_type=lesson_types[n % len(lesson_types)],
                pupils=pupils,
                fsm=pupils // 4,
                send=pupils // 10,
                looked_after=1 if pupils >= 20 else 0,
            )
        )

    # The n-th ensemble is the same one every year: the same area, kind, level and name.
    every_kind, levels = list(ENSEMBLE_KINDS), EnsembleLevel.values
    kinds = [every_kind[n % len(every_kind)] for n in range(plan.ensembles[i])]
    sizes = [ENSEMBLE_KINDS[kind][1] for kind in kinds]
    seen: dict[tuple[str, str], int] = {}
    for n, (kind, members) in enumerate(
        zip(kinds, share_out(plan.ensemble_members[i], sizes), strict=True)
    ):
        code = plan.ensemble_areas[n % len(plan.ensemble_areas)]
        seen[code, kind] = seen.get((code, kind), 0) + 1
        partner_name, area = plan.areas[code]
        records[Ensemble].append(
            Ensemble(
                **common,
                partner_id=partners[partner_name],
                name=f"{area} {ENSEMBLE_KINDS[kind][0]} {seen[code, kind]}",
                kind=kind,
                level=levels[n % len(levels)],
                members=members,
                fsm=members // 5,
                send=members // 10,
                looked_after=0,
                rehearsals=30,
            )
        )

    singing = run_of(schools, start("singing", schools), plan.singing_schools[i])
    singing_kinds = SingingKind.values
    records[SingingSupport].extend(
        SingingSupport(
            **common,
            partner_id=partner(school),
            school_id=school.pk,
            kind=singing_kinds[n % len(singing_kinds)],
        )
        for n, school in singing
    )
    supported = singing[: plan.supported_schools[i]]
    if len(supported) < plan.supported_schools[i]:
        raise RuntimeError("A hub's plan supports more schools than it supports with singing.")
    records[SchoolSupport].extend(
        SchoolSupport(
            **common,
            partner_id=partner(school),
            school_id=school.pk,
            wcet=school.pk in wcet_pks,
            singing=n % 3 == 0,
            progression=n % 4 == 0,
            cpd=True,
            instrument_loan=n % 5 == 0,
        )
        for n, school in supported
    )
    # Each other partner at every twelfth school supported, the next one six schools on.
    for offset, (name, (role, counts)) in enumerate(plan.other_support.items()):
        records[SchoolSupport].extend(
            SchoolSupport(**common, partner_id=partners[name], school_id=school.pk, **{role: True})
            for _, school in supported[offset * 6 :: 12][: counts[i]]
        )

    records[InstrumentLoans].extend(
        InstrumentLoans(
            **common, partner_id=partners[name], to_pupils=loans[i][0], to_schools=loans[i][1]
        )
        for name, loans in plan.loans.items()
    )

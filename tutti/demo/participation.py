"""The Music Partnership's participation records for its latest complete year.

Built so the impact page reproduces the figures the hub publishes, wherever a figure can
honestly come from records: 129 ensembles for 2,455 young people, 375 schools supported with
singing, 257 schools with instrumental and/or vocal teaching for 7,350 pupils, 9,000
instruments on loan, 9,100 pupils in whole-class ensemble teaching in 155 schools, and 360
schools supported to deliver regular music. Which schools, instruments and ensembles is our
invention; each school's partner is the music service of its local authority.

Not faked: "574 schools and settings" is the hub's own count, while the page counts the
register's schools in its three authorities; "36 partners" would need 33 partner
organisations the demo does not have; "20,000 pupils engaged weekly" is a rounded estimate,
and the page adds up the records (18,905).
"""

from itertools import cycle

from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.participation.models import (
    Ensemble,
    EnsembleKind,
    EnsembleLevel,
    InstrumentFamily,
    InstrumentLoans,
    LessonType,
    SchoolSupport,
    SingingKind,
    SingingSupport,
    TuitionRecord,
    WcetProgramme,
)
from tutti.participation.years import current_academic_year

SERVICES = {
    "860": "Entrust Music Service Staffordshire",
    "861": "Stoke-on-Trent Music Service",
    "894": "Telford & Wrekin Music Service",
}
PUBLISHED = {
    "wcet_schools": 155,
    "wcet_pupils": 9100,
    "teaching_schools": 257,
    "pupils_taught": 7350,
    "ensembles": 129,
    "ensemble_members": 2455,
    "singing_schools": 375,
    "supported_schools": 360,
}
# Instruments on loan to pupils and to schools, by service: 9,000 in all.
LOANS = {"860": (4700, 500), "861": (2000, 300), "894": (1300, 200)}


def spread(total: int, parts: int) -> list[int]:
    """``total`` shared out over ``parts`` as evenly as whole numbers allow."""
    share, extra = divmod(total, parts)
    return [share + (1 if i < extra else 0) for i in range(parts)]


def load_participation(hubs: dict[str, Hub]) -> int:
    """Load the records; returns the year they are for."""
    hub = hubs["the-music-partnership"]
    year = current_academic_year() - 1
    services = {
        code: Organisation.objects.get(name=name, kind=OrganisationKind.MUSIC_SERVICE)
        for code, name in SERVICES.items()
    }
    schools = list(
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, is_open=True, local_authority__code__in=SERVICES
        )
        .select_related("local_authority")
        .order_by("urn")
    )
    if len(schools) < PUBLISHED["singing_schools"]:
        raise RuntimeError("The Music Partnership's area has too few schools for its figures.")

    def partner(school: Organisation) -> Organisation:
        return services[school.local_authority.code]

    common = {"hub": hub, "year": year}
    instruments = cycle(["Ukulele", "Violin", "Recorder", "Brass", "Samba drums", "Djembe"])
    WcetProgramme.objects.bulk_create(
        WcetProgramme(
            **common,
            partner=partner(school),
            school=school,
            year_groups="Year 4",
            instruments=next(instruments),
            pupils=pupils,
            weeks=30,
            lesson_minutes=45,
            continued=pupils * 2 // 5,
        )
        for school, pupils in zip(
            schools, spread(PUBLISHED["wcet_pupils"], PUBLISHED["wcet_schools"]), strict=False
        )
    )
    families = cycle(InstrumentFamily.values)
    lesson_types = cycle(LessonType.values)
    taught = schools[100 : 100 + PUBLISHED["teaching_schools"]]
    TuitionRecord.objects.bulk_create(
        TuitionRecord(
            **common,
            partner=partner(school),
            school=school,
            family=next(families),
            lesson_type=next(lesson_types),
            pupils=pupils,
            fsm=pupils // 4,
            send=pupils // 10,
            looked_after=1 if pupils >= 20 else 0,
        )
        for school, pupils in zip(
            taught, spread(PUBLISHED["pupils_taught"], len(taught)), strict=True
        )
    )
    kinds = cycle(EnsembleKind.values)
    levels = cycle(EnsembleLevel.values)
    codes = cycle(SERVICES)
    ensembles = []
    for n, members in enumerate(
        spread(PUBLISHED["ensemble_members"], PUBLISHED["ensembles"]), start=1
    ):
        kind, code = next(kinds), next(codes)
        label = EnsembleKind(kind).label
        ensembles.append(
            Ensemble(
                **common,
                partner=services[code],
                name=f"{SERVICES[code].replace(' Music Service', '')} {label} {n}",
                kind=kind,
                level=next(levels),
                members=members,
                fsm=members // 5,
                send=members // 10,
                looked_after=0,
                rehearsals=30,
            )
        )
    Ensemble.objects.bulk_create(ensembles)
    singing = cycle(SingingKind.values)
    SingingSupport.objects.bulk_create(
        SingingSupport(**common, partner=partner(school), school=school, kind=next(singing))
        for school in schools[: PUBLISHED["singing_schools"]]
    )
    SchoolSupport.objects.bulk_create(
        SchoolSupport(
            **common,
            partner=partner(school),
            school=school,
            wcet=n % 2 == 0,
            singing=n % 3 == 0,
            progression=n % 4 == 0,
            cpd=True,
            instrument_loan=n % 5 == 0,
        )
        for n, school in enumerate(schools[: PUBLISHED["supported_schools"]])
    )
    InstrumentLoans.objects.bulk_create(
        InstrumentLoans(**common, partner=services[code], to_pupils=p, to_schools=s)
        for code, (p, s) in LOANS.items()
    )
    return year

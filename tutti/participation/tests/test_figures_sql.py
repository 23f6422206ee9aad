"""The figures added up in SQL agree with the records added up one by one, in a fixed number
of queries; the records behind a figure are the ones its value comes from."""

import random

import pytest
from django.utils import timezone

from tutti.clusters.tests.factories import ClusterFactory, ClusterMemberFactory
from tutti.directory.models import Organisation
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.participation.figures import FIGURES, compute_figures, load_year, load_years
from tutti.participation.impact import impact_page
from tutti.participation.models import (
    Ensemble,
    InstrumentLoans,
    SchoolSupport,
    SingingKind,
    SingingSupport,
    SubmissionStatus,
    TuitionRecord,
    WcetProgramme,
)
from tutti.participation.returns import SCHOOL_COLUMNS, return_rows, return_workbook
from tutti.participation.tests.factories import (
    CollectionFactory,
    EnsembleFactory,
    LoansFactory,
    SchoolSupportFactory,
    SingingFactory,
    SubmissionFactory,
    TuitionFactory,
    WcetFactory,
)

YEARS = [2023, 2024, 2025]
CORE_ROLES = SchoolSupport.CORE_ROLES


@pytest.fixture
def records(world):
    """A few hundred records of every kind over three years, at the hub's schools, at a closed
    school, at centres, in drafts and sent returns, and at the other hub."""
    rng = random.Random(12)
    schools = [world.school, *(SchoolFactory(local_authority=world.la) for _ in range(7))]
    schools.append(SchoolFactory(local_authority=world.la, is_open=False))
    partners = [world.partner, *(OrganisationFactory(hub=world.hub) for _ in range(3))]
    # Partner 3 only ever sends drafts: never counted.
    drafts = {}
    for year in YEARS:
        collection = CollectionFactory(hub=world.hub, year=year)
        sent = SubmissionFactory(
            collection=collection,
            partner=partners[2],
            status=SubmissionStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        draft = SubmissionFactory(
            collection=collection, partner=partners[3], status=SubmissionStatus.IN_PROGRESS
        )
        drafts[year] = draft
        for p, partner in enumerate(partners):
            submission = {2: sent, 3: draft}.get(p)
            common = {"hub": world.hub, "year": year, "partner": partner, "submission": submission}
            for _ in range(rng.randint(0, 6)):
                pupils = rng.randint(0, 40)
                WcetFactory(
                    **common,
                    school=rng.choice(schools),
                    pupils=pupils,
                    continued=rng.randint(0, pupils),
                )
            for _ in range(rng.randint(0, 6)):
                school = rng.choice([*schools, None])
                TuitionFactory(
                    **common,
                    school=school,
                    centre="" if school else "Devizes Music Centre",
                    pupils=rng.randint(3, 12),
                )
            for _ in range(rng.randint(0, 4)):
                EnsembleFactory(
                    **common, school=rng.choice([*schools, None]), members=rng.randint(0, 50)
                )
            for school, kind in rng.sample(
                [(s, k) for s in schools for k in SingingKind.values], rng.randint(0, 5)
            ):
                SingingFactory(**common, school=school, kind=kind)
            for school in rng.sample(schools, rng.randint(0, 5)):
                flags = {
                    f: rng.random() < 0.3
                    for f in (*CORE_ROLES, "cpd", "curriculum", "instrument_loan", "large_scale")
                }
                SchoolSupportFactory(**common, school=school, **flags)
            if rng.random() < 0.7:
                LoansFactory(**common, to_pupils=rng.randint(0, 100), to_schools=rng.randint(0, 10))
    # Another hub's records, and a partner whose only record is in the other hub.
    WcetFactory(hub=world.other_hub, school=world.other_school, pupils=99)
    TuitionFactory(hub=world.other_hub, school=world.other_school, pupils=7)
    EnsembleFactory(hub=world.other_hub, members=50)
    LoansFactory(hub=world.other_hub, to_pupils=500)
    return drafts


def _counted(model, world, year):
    return [
        r
        for r in model.objects.filter(hub=world.hub, year=year).select_related("submission")
        if r.submission is None or r.submission.status == SubmissionStatus.SUBMITTED
    ]


def by_hand(world, year) -> dict[str, float]:
    """Every figure, from the records one by one, as the definitions say."""
    wcet = _counted(WcetProgramme, world, year)
    tuition = _counted(TuitionRecord, world, year)
    ensembles = _counted(Ensemble, world, year)
    singing = _counted(SingingSupport, world, year)
    support = _counted(SchoolSupport, world, year)
    loans = _counted(InstrumentLoans, world, year)
    core = [s for s in support if any(getattr(s, r) for r in CORE_ROLES)]
    wcet_pupils = sum(r.pupils for r in wcet)
    taught = sum(r.pupils for r in tuition)
    members = sum(r.members for r in ensembles)
    every = [*wcet, *tuition, *ensembles, *singing, *support, *loans]
    in_area = Organisation.objects.filter(
        kind="school", is_open=True, local_authority__in=world.hub.local_authorities.all()
    )

    def schools(*groups):
        return len({r.school_id for group in groups for r in group if r.school_id})

    return {
        "schools-in-area": in_area.count(),
        "schools-engaged": schools(wcet, tuition, ensembles, singing, core),
        "schools-teaching": schools(tuition),
        "pupils-taught": taught,
        "ensembles": len(ensembles),
        "ensemble-members": members,
        "schools-singing": schools(singing, [s for s in support if s.singing]),
        "wcet-pupils": wcet_pupils,
        "wcet-schools": schools(wcet),
        "wcet-continuation": (
            round(100 * sum(r.continued for r in wcet) / wcet_pupils) if wcet_pupils else 0
        ),
        "schools-supported": schools(support),
        "instruments-on-loan": sum(r.to_pupils + r.to_schools for r in loans),
        "partners": len({r.partner_id for r in every}),
        "pupils-weekly": wcet_pupils + taught + members,
    }


def test_every_figure_of_every_year_is_the_records_added_up_by_hand(world, records):
    data = load_years(hub=world.hub, years=[2022, *YEARS])
    for year in [2022, *YEARS]:
        figures = {f.figure.key: f.value for f in compute_figures(data[year])}
        assert figures == by_hand(world, year), year
    assert not data[2022].has_records
    assert data[2025].has_records
    # The one-year load gives the same.
    figures = {f.figure.key: f.value for f in compute_figures(load_year(hub=world.hub, year=2025))}
    assert figures == by_hand(world, 2025)


def test_a_figures_records_are_the_ones_its_value_comes_from(world, records):
    data = load_year(hub=world.hub, year=2025)
    draft_pks = {
        (model, pk)
        for model in (WcetProgramme, TuitionRecord, Ensemble, SingingSupport, SchoolSupport)
        for pk in model.objects.filter(submission=records[2025]).values_list("pk", flat=True)
    }
    assert draft_pks, "the fixture has drafts"
    for value in compute_figures(data):
        result, key = value.result, value.figure.key
        rows = [r for rs in result.records.values() for r in rs]
        if result.schools is not None and key != "schools-in-area":
            assert {r["school_id"] for r in rows} == result.schools, key
            assert all(r["school_id"] for r in rows), key
    results = {f.figure.key: f.result for f in compute_figures(data)}
    records_of = {key: result.records for key, result in results.items()}
    assert (
        sum(r["pupils"] for r in records_of["wcet-pupils"]["wcet"]) == results["wcet-pupils"].value
    )
    assert (
        sum(r["pupils"] for r in records_of["pupils-taught"]["tuition"])
        == results["pupils-taught"].value
    )
    assert len(records_of["ensembles"]["ensembles"]) == results["ensembles"].value
    assert sum(
        r["to_pupils"] + r["to_schools"] for r in records_of["instruments-on-loan"]["loans"]
    ) == (results["instruments-on-loan"].value)
    partners = {r["partner_id"] for rs in records_of["partners"].values() for r in rs}
    assert len(partners) == results["partners"].value
    assert set(records_of["partners"]) == {
        "wcet",
        "tuition",
        "ensembles",
        "singing",
        "school-support",
        "loans",
    }
    assert all(r["school_id"] is None for r in records_of["partners"]["loans"])
    support = records_of["schools-engaged"]["school-support"]
    assert all(any(r[role] for role in CORE_ROLES) for r in support)
    assert all(r["singing"] for r in records_of["schools-singing"]["school-support"])
    # No draft is behind any figure.
    tables = {
        "wcet": WcetProgramme,
        "tuition": TuitionRecord,
        "ensembles": Ensemble,
        "singing": SingingSupport,
        "school-support": SchoolSupport,
    }
    for result in results.values():
        for kind, rows in result.records.items():
            if kind in tables:
                assert not {(tables[kind], r["pk"]) for r in rows} & draft_pks


def test_figures_are_read_in_a_fixed_number_of_queries(world, records, django_assert_num_queries):
    # One grouped query for every kind and the partners (every year at once), the schools,
    # and the instrument library's loans (tutti/loans/figures.py).
    with django_assert_num_queries(3):
        data = load_years(hub=world.hub, years=list(range(2021, 2026)), with_schools=True)
    # Computing the figures reads nothing more: the records behind them wait until asked for.
    with django_assert_num_queries(0):
        figures = compute_figures(data[2025])
    by_key = {f.figure.key: f.result for f in figures}
    with django_assert_num_queries(5):
        by_key["schools-engaged"].records  # noqa: B018
    with django_assert_num_queries(0):
        by_key["schools-engaged"].records  # noqa: B018
    with django_assert_num_queries(1):
        by_key["wcet-pupils"].records  # noqa: B018
    # The data return: the figures' tallies, and one query for the WCET sheet.
    with django_assert_num_queries(1):
        return_rows(data[2025], figures)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_number_of_queries_does_not_grow_with_records(world, django_assert_num_queries, extra):
    for n in range(extra):
        school = SchoolFactory(local_authority=world.la)
        WcetFactory(hub=world.hub, school=school, year=2025 - n % 5)
        SchoolSupportFactory(hub=world.hub, school=school, singing=True)
        EnsembleFactory(hub=world.hub, school=None, year=2025 - n % 5)
    with django_assert_num_queries(3):
        page = impact_page(hub=world.hub, year=2025, publications={}, public=False)
    assert [row.figure.key for row in page.rows] == [f.key for f in FIGURES]
    assert page.rows[0].trend[-1].value == (None if not extra else page.rows[0].value)
    data = load_year(hub=world.hub, year=2025, with_schools=True)
    figures = compute_figures(data)
    with django_assert_num_queries(1):
        return_workbook(data, figures)


def test_schools_come_with_their_authority_and_their_cluster_in_this_hub(world, records):
    data = load_year(hub=world.hub, year=2025)
    assert data.schools[world.school.pk].cluster == "Devizes area"
    assert data.schools[world.school.pk].local_authority == "Wiltshire"
    # A school the other hub clusters, with a record here, is in no cluster of this hub.
    WcetFactory(hub=world.hub, school=world.other_school)
    second = ClusterFactory(hub=world.hub, name="Second", slug="second")
    ClusterMemberFactory(cluster=second, organisation=world.school)
    data = load_year(hub=world.hub, year=2025)
    assert data.schools[world.other_school.pk].cluster == ""
    # In two of the hub's clusters: the one it joined last.
    assert data.schools[world.school.pk].cluster == "Second"
    closed = [s for s in data.schools.values() if not s.is_open]
    assert all(pk in data.schools for pk in data.school_ids("wcet"))
    assert {s.pk for s in closed} <= set().union(*(data.school_ids(k) for k in data.tallies))


def test_the_schools_sheet_adds_up_to_the_figures(world, records):
    data = load_year(hub=world.hub, year=2025)
    figures = {f.figure.key: f for f in compute_figures(data)}
    rows = return_rows(data, list(figures.values())).schools

    def column(name):
        return [row[SCHOOL_COLUMNS.index(name)] for row in rows]

    assert sum(column("WCET pupils")) == figures["wcet-pupils"].value
    assert sum(column("Tuition pupils")) == figures["pupils-taught"].value
    assert sum(column("Ensemble members")) == figures["ensemble-members"].value
    assert sum(1 for n in column("WCET programmes") if n) == figures["wcet-schools"].value
    assert sum(column("WCET programmes")) == len(_counted(WcetProgramme, world, 2025))
    assert column("Engaged on a core role").count("Yes") == figures["schools-engaged"].value
    # Core role columns: a school with WCET or support for it, and so on.
    support = _counted(SchoolSupport, world, 2025)
    for role, kind in (("wcet", WcetProgramme), ("ensembles", Ensemble)):
        expected = {r.school_id for r in _counted(kind, world, 2025) if r.school_id} | {
            s.school_id for s in support if getattr(s, role)
        }
        shown = {
            pk
            for pk, row in zip(data.schools, rows, strict=False)
            if row[
                SCHOOL_COLUMNS.index(f"Core role: {role.replace('wcet', 'whole-class teaching')}")
            ]
            == "Yes"
        }
        assert shown == expected, role

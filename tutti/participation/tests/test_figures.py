"""Each figure's definition, on small hand-counted years."""

import datetime as dt

import pytest

from tutti.core.years import academic_year_for, parse_year, year_bounds, year_label
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.participation.figures import FIGURES_BY_KEY, breakdown, compute_figures, load_year
from tutti.participation.tests.factories import (
    EnsembleFactory,
    LoansFactory,
    SchoolSupportFactory,
    SingingFactory,
    TuitionFactory,
    WcetFactory,
)


def value(world, key, year=2025):
    return FIGURES_BY_KEY[key].compute(load_year(hub=world.hub, year=year)).value


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2025, 8, 31), 2024),
        (dt.date(2025, 9, 1), 2025),
        (dt.date(2026, 1, 15), 2025),
        (dt.date(2026, 8, 31), 2025),
    ],
)
def test_academic_year_runs_from_september_to_august(day, year):
    assert academic_year_for(day) == year


def test_year_label_and_bounds():
    assert year_label(2025) == "2025/26"
    assert year_label(2099) == "2099/00"
    assert year_bounds(2025) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))


@pytest.mark.parametrize(
    ("text", "year"),
    [("", 2030), ("2024", 2024), ("2024/25", 2024), ("2024/26", None), ("abc", None)],
)
def test_parse_year(text, year):
    assert parse_year(text, 2030) == year


@pytest.fixture
def partners(world):
    return world.partner, OrganisationFactory(name="Second Partner", hub=world.hub)


def test_schools_in_area_come_from_the_register(world):
    SchoolFactory(local_authority=world.la)
    SchoolFactory(local_authority=world.la, is_open=False)
    SchoolFactory(local_authority=world.other_school.local_authority)
    assert value(world, "schools-in-area") == 2  # Devizes Primary and the new open one


def test_a_school_is_counted_once_however_many_partners_work_with_it(world, partners):
    for partner in partners:
        WcetFactory(hub=world.hub, partner=partner, school=world.school, pupils=30)
        TuitionFactory(hub=world.hub, partner=partner, school=world.school, pupils=5)
        SingingFactory(hub=world.hub, partner=partner, school=world.school)
    assert value(world, "wcet-schools") == 1
    assert value(world, "wcet-pupils") == 60
    assert value(world, "schools-teaching") == 1
    assert value(world, "pupils-taught") == 10
    assert value(world, "schools-singing") == 1
    assert value(world, "schools-engaged") == 1
    assert value(world, "partners") == 2


def test_schools_engaged_counts_each_core_role_but_not_other_support(world):
    schools = [SchoolFactory(local_authority=world.la) for _ in range(6)]
    WcetFactory(hub=world.hub, school=schools[0])
    TuitionFactory(hub=world.hub, school=schools[1])
    EnsembleFactory(hub=world.hub, school=schools[2])
    SingingFactory(hub=world.hub, school=schools[3])
    SchoolSupportFactory(hub=world.hub, school=schools[4], progression=True)
    SchoolSupportFactory(hub=world.hub, school=schools[5], cpd=True)  # not a core role
    TuitionFactory(hub=world.hub, school=None, centre="Devizes Music Centre")
    assert value(world, "schools-engaged") == 5
    assert value(world, "schools-supported") == 2


def test_other_years_and_other_hubs_are_not_counted(world):
    WcetFactory(hub=world.hub, school=world.school, year=2024)
    WcetFactory(hub=world.other_hub, school=world.other_school)
    assert value(world, "wcet-pupils") == 0
    assert value(world, "wcet-pupils", year=2024) == 30


def test_ensembles_and_members(world):
    EnsembleFactory(hub=world.hub, members=20)
    EnsembleFactory(hub=world.hub, members=15, school=world.school)
    assert value(world, "ensembles") == 2
    assert value(world, "ensemble-members") == 35


def test_singing_counts_singing_support_and_school_support_for_singing(world):
    other = SchoolFactory(local_authority=world.la)
    SingingFactory(hub=world.hub, school=world.school)
    SchoolSupportFactory(hub=world.hub, school=other, singing=True)
    SchoolSupportFactory(hub=world.hub, school=world.school, singing=True)
    assert value(world, "schools-singing") == 2


def test_continuation_rate_is_of_all_wcet_pupils(world):
    WcetFactory(hub=world.hub, school=world.school, pupils=30, continued=3)
    WcetFactory(hub=world.hub, school=world.school, pupils=10, continued=7)
    assert value(world, "wcet-continuation") == 25


def test_continuation_rate_without_wcet_is_zero(world):
    assert value(world, "wcet-continuation") == 0


def test_instruments_on_loan_to_pupils_and_schools(world, partners):
    for partner in partners:
        LoansFactory(hub=world.hub, partner=partner, to_pupils=100, to_schools=20)
    assert value(world, "instruments-on-loan") == 240


def test_pupils_engaged_weekly_adds_wcet_tuition_and_ensembles(world):
    WcetFactory(hub=world.hub, school=world.school, pupils=30)
    TuitionFactory(hub=world.hub, school=world.school, pupils=12)
    EnsembleFactory(hub=world.hub, members=20)
    SingingFactory(hub=world.hub, school=world.school)
    assert value(world, "pupils-weekly") == 62


def test_each_figure_lists_the_records_behind_it(world):
    wcet = WcetFactory(hub=world.hub, school=world.school)
    tuition = TuitionFactory(hub=world.hub, school=world.school)
    results = {f.figure.key: f.result for f in compute_figures(load_year(hub=world.hub, year=2025))}
    assert [r["pk"] for r in results["wcet-pupils"].records["wcet"]] == [wcet.pk]
    assert [r["pk"] for r in results["schools-teaching"].records["tuition"]] == [tuition.pk]
    assert {s: len(r) for s, r in results["schools-engaged"].records.items()} == {
        "wcet": 1,
        "tuition": 1,
        "ensembles": 0,
        "singing": 0,
        "school-support": 0,
    }


def test_breakdown_by_local_authority_and_cluster_gives_the_share_reached(world):
    SchoolFactory(local_authority=world.la)
    WcetFactory(hub=world.hub, school=world.school)
    data = load_year(hub=world.hub, year=2025)
    engaged = FIGURES_BY_KEY["schools-engaged"].compute(data).schools
    rows = breakdown(data, engaged, "local_authority")
    assert [(r.name, r.in_area, r.engaged, r.share) for r in rows] == [("Wiltshire", 2, 1, 50)]
    rows = breakdown(data, engaged, "cluster")
    assert [(r.name, r.in_area, r.engaged) for r in rows] == [
        ("Devizes area", 1, 1),
        ("Not recorded", 1, 0),
    ]


def test_year_data_is_loaded_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    for _ in range(5):
        WcetFactory(hub=world.hub, school=SchoolFactory(local_authority=world.la))
    # The tallies and the instrument library's real loans (tutti/loans/figures.py); the
    # schools are counted when a figure asks, once, and read only for a page that lists them.
    with django_assert_num_queries(2):
        data = load_year(hub=world.hub, year=2025)
    with django_assert_num_queries(1):
        counted = in_area(data)
    with django_assert_num_queries(0):
        compute_figures(data)
    with django_assert_num_queries(3):
        data = load_year(hub=world.hub, year=2025, with_schools=True)
    with django_assert_num_queries(0):
        # The count the database made is that of the schools read.
        assert in_area(data) == counted == sum(s.is_open for s in data.schools.values()) > 5


def in_area(data):
    return {f.figure.key: f.value for f in compute_figures(data)}["schools-in-area"]


def test_schools_in_the_area_counted_by_the_database_match_the_schools_read(world):
    # A closed school of the area with a record, an open one elsewhere with a record (both read
    # so that every school counted has a row), and one closed with none (neither).
    WcetFactory(hub=world.hub, school=SchoolFactory(local_authority=world.la, is_open=False))
    WcetFactory(hub=world.hub, school=world.other_school)
    SchoolFactory(local_authority=world.la, is_open=False)
    counted = in_area(load_year(hub=world.hub, year=2025))
    data = load_year(hub=world.hub, year=2025, with_schools=True)
    assert counted == in_area(data) == sum(s.is_open for s in data.schools.values())
    assert world.other_school.pk in data.schools

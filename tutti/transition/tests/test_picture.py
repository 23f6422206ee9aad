"""The transition picture: the feeders' records added up in a fixed number of queries, the
chart of what the coming Year 7s played, and the continuation figure (never under 10)."""

import pytest
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.core.years import current_academic_year
from tutti.directory.tests.factories import SchoolFactory
from tutti.participation.tests.factories import (
    EnsembleFactory,
    SingingFactory,
    TuitionFactory,
    WcetFactory,
)
from tutti.provision.models import SchoolAudit
from tutti.transition import selectors
from tutti.transition.chart import bar_chart
from tutti.transition.models import FeederDecision, FeederState, FirstContact
from tutti.transition.tests.factories import secondary_of, sent_passport


def _feeders(world, n):
    secondary = secondary_of(world)
    primaries = [
        SchoolFactory(name=f"Feeder {i} Primary", local_authority=world.la, latitude=53 + i / 100)
        for i in range(n)
    ]
    FeederDecision.objects.bulk_create(
        FeederDecision(hub=world.hub, secondary=secondary, primary=p, state=FeederState.CONFIRMED)
        for p in primaries
    )
    return secondary, primaries


def _records(world, primaries, years):
    for year in years:
        for i, school in enumerate(primaries):
            WcetFactory(
                hub=world.hub,
                school=school,
                year=year,
                instruments=("Cornet", "Violin")[i % 2],
                year_groups="Year 4",
                pupils=30,
                continued=12,
            )
            TuitionFactory(hub=world.hub, school=school, year=year, pupils=12)
            SingingFactory(hub=world.hub, school=school, year=year)
        EnsembleFactory(hub=world.hub, school=primaries[0], year=year, members=15)
        EnsembleFactory(hub=world.hub, year=year, name=f"Area Band {year}")
    SchoolAudit.objects.create(hub=world.hub, school=primaries[0], year=years[-1], mdp="yes")


def test_the_picture_adds_up_the_feeders_records(world):
    year = current_academic_year()
    secondary, primaries = _feeders(world, 2)
    _records(world, primaries, [year - 2, year - 1, year])
    picture = selectors.picture(hub=world.hub, secondary=secondary, year=year)
    this_year = picture.years[0]
    assert this_year.year == year
    # The two confirmed feeders and the world's primary, suggested as the nearest one.
    assert {f.primary.name for f in picture.feeders} >= {"Feeder 0 Primary", "Feeder 1 Primary"}
    assert (this_year.wcet_pupils, this_year.wcet_continued, this_year.wcet_schools) == (60, 24, 2)
    assert this_year.tuition_pupils == 24
    assert this_year.singing_schools == 2
    assert this_year.ensemble_members == 15
    # Year 4 two years ago is Year 6 now: they arrive in Year 7 next September.
    assert picture.intake_year == year + 1
    assert [(b.label, b.pupils) for b in picture.chart] == [("Cornet", 30), ("Violin", 30)]
    assert picture.audits[0].audit is None or picture.audits[0].audit.mdp in ("yes", "")
    assert [e.name for e in picture.hub_ensembles] == [f"Area Band {year}"]


def test_the_picture_of_20_feeders_over_five_years_takes_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    year = current_academic_year()
    secondary, primaries = _feeders(world, 20)
    _records(world, primaries, list(range(year - 4, year + 1)))
    with django_assert_num_queries(11):
        picture = selectors.picture(hub=world.hub, secondary=secondary, year=year)
    assert len(picture.feeders) == 21
    assert picture.years[0].wcet_pupils == 600
    # And the page: the same however many feeders (the picture plus access, audit, session).
    client = client_for("staff")
    url = f"/wiltshire/manage/transition/{secondary.urn}/"
    client.get(url)
    with django_assert_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    assert AuditLog.objects.filter(action="read.transition.picture").count() == 2


def test_counts_under_10_pupils_are_not_shown(client_for, world):
    year = current_academic_year()
    secondary, primaries = _feeders(world, 1)
    WcetFactory(
        hub=world.hub, school=primaries[0], year=year - 2, pupils=7, continued=3, instruments="Oboe"
    )
    response = client_for("staff").get(f"/wiltshire/manage/transition/{secondary.urn}/")
    text = response.content.decode()
    assert "fewer than 10" in text
    assert ">7<" not in text and ">3<" not in text
    # Nor drawn: a bar of fewer than 10 is left out of the chart.
    assert bar_chart(response.context["picture"].chart, title="t", description="d") == ""


def test_the_chart_is_an_svg_with_a_title_and_the_numbers(world):
    chart = bar_chart(
        [selectors.Bar("Cornet", 40), selectors.Bar("<script>", 12)],
        title="What your Year 7s will have played",
        description="By instrument",
    )
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert "<title" in chart and "What your Year 7s will have played" in chart
    assert ">40<" in chart and "&lt;script&gt;" in chart


def _contacts(world, n, carried_on):
    for i in range(n):
        passport = sent_passport(world)
        if i < carried_on:
            passport.first_contact = FirstContact.SCHOOL_ENSEMBLE
            passport.contacted_at = timezone.now()
            passport.save()


def test_the_continuation_figure_is_hidden_below_10_passports(client_for, world):
    _contacts(world, 9, 6)
    (row,) = selectors.continuation(hub=world.hub)
    assert (row.sent, row.carried_on, row.is_shown) == (9, 6, False)
    text = client_for("staff").get("/wiltshire/manage/transition/").content.decode()
    assert "Fewer than 10 passports: not shown" in text


def test_the_continuation_figure_shows_from_10_passports(client_for, world):
    _contacts(world, 10, 7)
    sent_passport(world).delete()  # nothing left over
    (row,) = selectors.continuation(hub=world.hub, secondary=secondary_of(world))
    assert (row.sent, row.carried_on, row.percent, row.is_shown) == (10, 7, 70, True)
    text = client_for("staff").get("/wiltshire/manage/transition/").content.decode()
    assert "7 (70%)" in text


@pytest.mark.parametrize(
    ("record_year", "groups", "share"),
    [(2024, [4], 1.0), (2025, [4, 5], 0.5), (2026, [6], 1.0), (2026, [5], 0.0)],
)
def test_which_programmes_the_coming_year_7s_were_in(record_year, groups, share):
    assert selectors.cohort_share(record_year=record_year, groups=groups, year6_in=2026) == share


def test_nine_passports_are_not_a_figure_and_ten_are(client_for, world):
    _contacts(world, 9, 6)
    url = f"/wiltshire/manage/transition/{secondary_of(world).urn}/"
    client = client_for("staff")
    assert "fewer than 10 passports, so not shown" in client.get(url).content.decode()
    _contacts(world, 1, 1)
    assert "7 of 10 carried on (70%)" in client.get(url).content.decode()

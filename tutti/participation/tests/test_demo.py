"""The demo's participation records: three years for every hub, so the impact page shows a
trend, with The Music Partnership's latest year reproducing its published figures."""

import pytest

from tutti.accounts.models import User
from tutti.core.years import current_academic_year
from tutti.demo.loader import load_demo
from tutti.demo.participation import PLANS, demo_years
from tutti.directory.models import Hub, Organisation, Partnership
from tutti.participation.figures import compute_figures, load_year
from tutti.participation.kinds import MODELS as SECTIONS
from tutti.participation.selectors import years_with_records

# The figures every hub should have something for, every year.
CORE = (
    "schools-engaged",
    "schools-teaching",
    "pupils-taught",
    "ensembles",
    "ensemble-members",
    "schools-singing",
    "wcet-pupils",
    "wcet-schools",
    "wcet-continuation",
    "schools-supported",
    "instruments-on-loan",
    "partners",
    "pupils-weekly",
)
PUBLISHED = {
    "ensembles": 129,
    "ensemble-members": 2455,
    "schools-singing": 375,
    "schools-teaching": 257,
    "pupils-taught": 7350,
    "instruments-on-loan": 9000,
    "wcet-pupils": 9100,
    "wcet-schools": 155,
    "schools-supported": 360,
}


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)


def test_the_music_partnerships_latest_year_shows_its_published_figures(client, demo):
    # As the public sees it: the demo publishes the figures the hub's own website gives.
    year = current_academic_year() - 1
    response = client.get(f"/the-music-partnership/impact/?year={year}")
    figures = {f.figure.key: f.value for f in response.context["figures"]}
    assert {key: figures[key] for key in PUBLISHED} == PUBLISHED
    # Not the published 574: the register's count, and the page says so.
    html = response.content.decode()
    assert figures["schools-in-area"] != 574
    assert "From the national register of schools" in html
    # The page is for the latest year by default.
    assert client.get("/the-music-partnership/impact/").context["year"] == year


def figures_by_year(hub: Hub) -> dict[int, dict[str, float]]:
    return {
        year: {f.figure.key: f.value for f in compute_figures(load_year(hub=hub, year=year))}
        for year in demo_years()
    }


def test_every_demo_hub_has_three_years_of_records_that_make_a_trend(demo):
    latest = current_academic_year() - 1
    assert demo_years() == [latest - 2, latest - 1, latest]
    hubs = list(Hub.objects.all())
    assert sorted(h.slug for h in hubs) == sorted(PLANS)
    for hub in hubs:
        assert years_with_records(hub=hub) == [latest, latest - 1, latest - 2]
        figures = figures_by_year(hub)
        for year, values in figures.items():
            assert [key for key in CORE if not values[key]] == [], (hub.slug, year)
        assert len({tuple(values[key] for key in CORE) for values in figures.values()}) == 3
    # The Music Partnership grew into its published figures, every one of them.
    earliest, middle, last = figures_by_year(Hub.objects.get(slug="the-music-partnership")).values()
    assert [key for key in PUBLISHED if not earliest[key] < middle[key] < last[key]] == []
    assert {key: last[key] for key in PUBLISHED} == PUBLISHED


def test_every_record_is_from_a_hub_partner_at_a_school_in_the_hubs_area(demo):
    for hub in Hub.objects.all():
        partners = Partnership.objects.filter(hub=hub).values("organisation")
        area = Organisation.objects.filter(
            kind="school", is_open=True, local_authority__in=hub.local_authorities.all()
        )
        for section, model in SECTIONS.items():
            records = model.objects.filter(hub=hub)
            assert records.exists(), (hub.slug, section)
            assert not records.exclude(partner__in=partners).exists(), (hub.slug, section)
            assert not records.filter(submission__isnull=False).exists(), (hub.slug, section)
            if section != "loans":
                outside = records.filter(school__isnull=False).exclude(school__in=area)
                assert not outside.exists(), (hub.slug, section)


def test_the_demo_publishes_all_but_wiltshires_latest_year(client, demo):
    first, *_, latest = demo_years()
    assert client.get(f"/cambridgeshire/impact/?year={latest}").status_code == 200
    assert client.get(f"/wiltshire/impact/?year={first}").status_code == 200
    assert client.get(f"/wiltshire/impact/?year={latest}").status_code == 404
    # ...which Wiltshire's staff see, with the step to publish it.
    client.force_login(User.objects.get(email="wiltshire.staff@example.org"))
    html = client.get(f"/wiltshire/impact/?year={latest}").content.decode()
    assert "Publish the figures for" in html

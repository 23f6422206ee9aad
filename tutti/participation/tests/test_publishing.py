"""The hub chooses which years and figures the public sees; staff and partners see them all."""

import pytest

from tutti.core.models import AuditLog
from tutti.directory.tests.factories import SchoolFactory
from tutti.participation import publishing
from tutti.participation.figures import FIGURES
from tutti.participation.impact import CHART_HEIGHT, trend_bars
from tutti.participation.models import Publication
from tutti.participation.tests.factories import TuitionFactory, WcetFactory

PUBLISH = "/wiltshire/manage/participation/publish/"
API = "/api/hubs/wiltshire/impact"


@pytest.fixture
def years(world):
    """WCET in 2021 to 2025 (not 2023), growing by 10 pupils a year; lessons in 2025."""
    for year in (2021, 2022, 2024, 2025):
        WcetFactory(
            hub=world.hub,
            partner=world.partner,
            school=world.school,
            year=year,
            pupils=20 + 10 * (year - 2021),
            continued=5,
        )
    TuitionFactory(hub=world.hub, partner=world.partner, school=world.school, pupils=12, year=2025)


def _figures(response):
    return {f.figure.key: f.value for f in response.context["figures"]}


def test_nothing_published_shows_the_public_an_empty_page(client, world, years):
    response = client.get("/wiltshire/impact/")
    assert response.status_code == 200
    assert "has not published its figures yet" in response.content.decode()
    assert client.get("/wiltshire/impact/?year=2025").status_code == 200
    body = client.get(API).json()
    assert client.get(API).status_code == 404
    assert body["detail"] == "The hub has not published its figures for that year."


def test_staff_publish_two_figures_and_the_public_sees_only_those(client, client_for, world, years):
    staff = client_for("staff")
    response = staff.post(
        f"{PUBLISH}?year=2025",
        {"figures": ["wcet-pupils", "pupils-taught"], "show_reach": "", "action": "publish"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/wiltshire/impact/?year=2025"
    publication = Publication.objects.get(hub=world.hub)
    # In the order the figures are defined, not the order chosen.
    assert publication.figures == ["pupils-taught", "wcet-pupils"]
    log = AuditLog.objects.get(action="participation.figures.published")
    assert log.data["figures"] == ["pupils-taught", "wcet-pupils"]
    assert log.actor == world.users["staff"]

    client.logout()  # the same test client, now as the public
    public = client.get("/wiltshire/impact/")
    assert public.context["year"] == 2025
    assert _figures(public) == {"pupils-taught": 12, "wcet-pupils": 60}
    html = public.content.decode()
    assert "Schools reached" not in html
    assert "Instruments on loan" not in html
    # Other years are not published: not reachable, and not in the trend.
    assert client.get("/wiltshire/impact/?year=2024").status_code == 404
    (wcet,) = [r for r in public.context["page"].rows if r.figure.key == "wcet-pupils"]
    assert [c.value for c in wcet.trend] == [None, None, None, None, 60]
    body = client.get(API).json()
    assert body["published"] is True
    assert [f["key"] for f in body["figures"]] == ["pupils-taught", "wcet-pupils"]
    assert client.get(f"{API}?year=2024").status_code == 404


def test_the_trend_shows_each_published_year(client, world, years):
    for year in (2021, 2022, 2024, 2025):
        publishing.publish(
            hub=world.hub, year=year, figures=["wcet-pupils"], show_reach=True, by=None
        )
    page = client.get("/wiltshire/impact/?year=2025").context["page"]
    (wcet,) = page.rows
    assert [c.year for c in wcet.trend] == [2021, 2022, 2023, 2024, 2025]
    assert [c.value for c in wcet.trend] == [20, 30, None, 50, 60]
    # One column per year with a figure; the year shown is the tallest here.
    assert [b.current for b in wcet.bars] == [False, False, False, True]
    assert wcet.bars[-1].height == CHART_HEIGHT


def test_staff_and_partners_see_every_figure_and_year(client_for, world, years):
    publishing.publish(hub=world.hub, year=2025, figures=["wcet-pupils"], show_reach=True, by=None)
    for role in ("staff", "partner"):
        client = client_for(role)
        response = client.get("/wiltshire/impact/?year=2024")
        assert response.status_code == 200
        assert set(_figures(response)) == {f.key for f in FIGURES}
        assert "Not published" in response.content.decode()
        page = client.get("/wiltshire/impact/?year=2025").context["page"]
        (wcet,) = [r for r in page.rows if r.figure.key == "wcet-pupils"]
        # Every year with records, published or not; 2023 has none.
        assert [c.value for c in wcet.trend] == [20, 30, None, 50, 60]
        assert wcet.published
        # ...and can preview the page as the public sees it.
        preview = client.get("/wiltshire/impact/?year=2025&as=public")
        assert set(_figures(preview)) == {"wcet-pupils"}
        assert "This is the page as the public sees it" in preview.content.decode()
    staff_api = client_for("staff").get(f"{API}?year=2024").json()
    assert staff_api["published"] is False
    assert len(staff_api["figures"]) == len(FIGURES)


def test_only_staff_see_the_publish_button(client_for, world, years):
    assert (
        "Publish the figures for 2025/26"
        in client_for("staff").get("/wiltshire/impact/").content.decode()
    )
    assert (
        "Publish the figures for 2025/26"
        not in client_for("partner").get("/wiltshire/impact/").content.decode()
    )
    assert client_for("partner").get(PUBLISH).status_code == 403


def test_publishing_nothing_is_refused_and_changes_nothing(client_for, world, years):
    response = client_for("staff").post(f"{PUBLISH}?year=2025", {"action": "publish"})
    assert response.status_code == 400
    assert "Choose at least one figure to publish." in response.content.decode()
    assert not Publication.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="participation.figures").exists()


def test_a_year_without_records_or_an_unknown_figure_cannot_be_published(client_for, world, years):
    response = client_for("staff").post(
        f"{PUBLISH}?year=2023", {"figures": ["wcet-pupils"], "action": "publish"}
    )
    assert response.status_code == 400
    assert "There are no records for 2023/24 to publish." in response.content.decode()
    response = client_for("staff").post(
        f"{PUBLISH}?year=2025", {"figures": ["made-up"], "action": "publish"}
    )
    assert response.status_code == 400
    with pytest.raises(publishing.PublishingError, match="no figure called made-up"):
        publishing.publish(hub=world.hub, year=2025, figures=["made-up"], show_reach=True, by=None)
    assert not Publication.objects.exists()


def test_the_form_offers_last_years_choice(client_for, world, years):
    publishing.publish(hub=world.hub, year=2024, figures=["wcet-pupils"], show_reach=False, by=None)
    form = client_for("staff").get(f"{PUBLISH}?year=2025").context["form"]
    assert form.initial == {"figures": ["wcet-pupils"], "show_reach": False}
    # With nothing published yet, every figure is ticked.
    assert publishing.default_choice(hub=world.other_hub, year=2025) == (
        [f.key for f in FIGURES],
        True,
    )


def test_unpublishing_takes_the_year_off_the_public_page(client, client_for, world, years):
    publishing.publish(hub=world.hub, year=2025, figures=["wcet-pupils"], show_reach=True, by=None)
    assert client.get("/wiltshire/impact/?year=2025").status_code == 200
    response = client_for("admin").post(f"{PUBLISH}?year=2025", {"action": "withdraw"})
    assert response.status_code == 302
    assert not Publication.objects.exists()
    assert AuditLog.objects.filter(action="participation.figures.withdrawn").count() == 1
    client.logout()
    for url in ("/wiltshire/impact/", "/wiltshire/impact/?year=2025"):
        assert "has not published" in client.get(url).content.decode()


def test_a_corrected_record_shows_on_the_public_page(client, world, years):
    publishing.publish(hub=world.hub, year=2025, figures=["wcet-pupils"], show_reach=True, by=None)
    WcetFactory(
        hub=world.hub, partner=world.partner, school=world.school, year=2025, pupils=5, continued=0
    )
    assert _figures(client.get("/wiltshire/impact/")) == {"wcet-pupils": 65}


def test_other_hubs_publications_are_not_shown(client, world, years):
    WcetFactory(hub=world.other_hub, school=world.other_school, year=2025)
    publishing.publish(
        hub=world.other_hub, year=2025, figures=["wcet-pupils"], show_reach=True, by=None
    )
    assert "has not published" in client.get("/wiltshire/impact/").content.decode()


def test_reach_by_cluster_chart(client, world, years):
    SchoolFactory(local_authority=world.la)  # in the area, no cluster, not reached
    publishing.publish(hub=world.hub, year=2025, figures=["wcet-pupils"], show_reach=True, by=None)
    response = client.get("/wiltshire/impact/")
    page = response.context["page"]
    by_cluster = {r.name: (r.engaged, r.in_area) for r in page.reach_by_cluster}
    assert by_cluster["Devizes area"] == (1, 1)
    assert page.reach_by_cluster[-1].name == "Not in a cluster"
    html = response.content.decode()
    assert 'class="bar-chart"' in html
    assert "100%: 1 of 1 school" in html


def test_trend_bars_scale_to_the_largest_or_to_100_percent():
    bars = trend_bars([10, None, 0, 40])
    assert [b.x for b in bars] == [0, 60, 90]
    assert [b.height for b in bars] == [10, 1, CHART_HEIGHT]  # a zero is a hairline
    assert [b.current for b in bars] == [False, False, True]
    assert trend_bars([50], percent=True)[0].height == CHART_HEIGHT / 2
    assert trend_bars([None, None]) == []

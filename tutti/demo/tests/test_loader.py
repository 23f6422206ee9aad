"""The demo on the real register: the Done-when points of the foundation, as tests."""

import csv

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from tutti.clusters.models import Cluster
from tutti.demo.loader import DEMO_PASSWORD, WILTSHIRE_CLUSTERS, load_demo
from tutti.directory.models import Hub, Organisation
from tutti.events.models import Event


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)


def wiltshire_register_names() -> list[str]:
    with open(settings.BASE_DIR / "data/england_schools_2026-06.csv", encoding="utf-8") as f:
        return [row["EstablishmentName"] for row in csv.DictReader(f) if row["LA (code)"] == "865"]


def test_the_three_hubs_with_their_authorities(demo):
    hubs = {h.slug: sorted(la.code for la in h.local_authorities.all()) for h in Hub.objects.all()}
    assert hubs == {
        "wiltshire": ["865"],
        "cambridgeshire": ["873"],
        "the-music-partnership": ["860", "861", "894"],
    }
    counts = {
        code: Organisation.objects.filter(local_authority__code=code).count()
        for code in ["865", "873", "860", "861", "894"]
    }
    assert counts == {"865": 232, "873": 255, "860": 385, "861": 88, "894": 71}


def test_wiltshire_clusters_page_shows_the_twelve_clusters(client, demo):
    html = client.get("/wiltshire/clusters/").content.decode()
    for name, coordinator, _ in WILTSHIRE_CLUSTERS:
        assert name.replace("&", "&amp;") in html
        if coordinator:
            assert coordinator in html
    assert html.count("Vacant (TBC)") == 2
    vacant = Cluster.objects.filter(hub__slug="wiltshire", coordinator=None)
    assert sorted(c.name for c in vacant) == ["Amesbury area", "Salisbury & Wilton"]


def test_every_wiltshire_school_is_in_one_cluster(demo):
    schools = Organisation.objects.filter(local_authority__code="865")
    assert all(s.clusters.filter(hub__slug="wiltshire").count() == 1 for s in schools)


def test_the_directory_finds_each_wiltshire_school_by_name(client, demo):
    names = wiltshire_register_names()
    assert len(names) == 232
    for name in names:
        response = client.get("/wiltshire/directory/", {"q": name})
        found = [o.name for o in response.context["page"].object_list]
        assert name in found, name


def test_loading_again_keeps_the_data_and_is_quick(demo, django_assert_max_num_queries):
    before = Organisation.objects.count(), Cluster.objects.count()
    with django_assert_max_num_queries(10):
        load_demo(echo=lambda line: None)
    assert (Organisation.objects.count(), Cluster.objects.count()) == before


def test_the_demo_whats_on_has_a_term_of_upcoming_events(client, demo):
    events = Event.objects.filter(status="published")
    # The only past ones are CPD network days already held (their attendance and claims).
    past = events.filter(starts_at__lte=timezone.now())
    assert past.exists() and not past.filter(network_day__isnull=True).exists()
    wiltshire = events.filter(hub__slug="wiltshire", network_day__isnull=True)
    assert sorted(e.cluster.name for e in wiltshire) == sorted(c[0] for c in WILTSHIRE_CLUSTERS)
    titles = set(events.values_list("title", flat=True))
    assert {
        "Soundpots Conference: Putting Music at the Heart of Early Years Education",
        "Termly CPD Day for music in schools",
        "Staffordshire Young Musician: the live final",
        "Primary music CPD network",
        "Secondary music CPD network",
    } <= titles
    for phase in ("Primary", "Secondary"):
        assert events.get(title=f"{phase} music CPD network").sessions.count() == 3
    devizes = wiltshire.get(cluster__name="Devizes area")
    html = client.get(f"/wiltshire/whats-on/{devizes.pk}/").content.decode()
    assert "1 place left" in html
    assert (
        "Devizes area Musical Cluster meeting"
        in client.get("/wiltshire/whats-on/").content.decode()
    )


def test_the_demo_gap_map_has_audits_for_part_of_each_hubs_schools(client, demo):
    from tutti.core.years import academic_year_for as academic_year
    from tutti.provision.models import SchoolAudit

    year = academic_year(timezone.localdate())
    for hub in Hub.objects.all():
        schools = Organisation.objects.filter(
            kind="school", local_authority__hubs=hub, is_open=True
        ).count()
        audited = SchoolAudit.objects.filter(hub=hub, year=year).count()
        assert 0.4 * schools < audited < 0.9 * schools, hub.slug
    html = client.get("/wiltshire/provision/").content.decode()
    assert 'class="gap-point status-provided"' in html
    assert 'class="map-cluster"' in html


def test_demo_people_sign_in_with_the_demo_password(client, demo):
    email = "wiltshire.staff@example.org"
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    assert EmailAddress.objects.get(email=email).verified


def test_cambridgeshire_has_a_cluster_per_district_each_with_schools(demo):
    clusters = Cluster.objects.filter(hub__slug="cambridgeshire")
    # Five districts; never one named after the county's own code.
    assert sorted(c.name for c in clusters) == [
        "Cambridge schools",
        "East Cambridgeshire schools",
        "Fenland schools",
        "Huntingdonshire schools",
        "South Cambridgeshire schools",
    ]
    assert all(c.members.exists() for c in clusters)


def test_the_demo_schools_have_their_census_numbers_of_pupils(demo):
    schools = Organisation.objects.filter(local_authority__code="865", is_open=True)
    with_numbers = schools.filter(pupils__isnull=False)
    assert with_numbers.count() >= 0.9 * schools.count()
    assert set(with_numbers.values_list("pupils_census", flat=True)) == {"January 2023"}


def test_wiltshire_gap_list_is_ordered_by_its_stated_rule(client, demo):
    from tutti.provision.selectors import RANKED_STATUSES, RANKING_RULE

    response = client.get("/wiltshire/provision/")
    html = response.content.decode()
    assert "school census of January 2023" in html
    assert RANKING_RULE.replace("'", "&#x27;") in html
    ranking = [row for row, _ in response.context["ranking"]]
    first = ranking[:10]
    keys = [(RANKED_STATUSES.index(r.statuses["wcet"]), -r.gap_score, r.name) for r in first]
    assert keys == sorted(keys)
    # The numbers decide, not the alphabet: every one of the first ten has a real score.
    assert all(r.gap_score > 0 for r in first)
    assert [r.name for r in first] != sorted(r.name for r in first)

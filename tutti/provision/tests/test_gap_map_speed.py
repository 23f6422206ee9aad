"""The gap map page kept in the cache per hub, filter and data version, and its gap list in pages
(issue 12, item 6). The page itself is tested in test_views.py."""

import re

import pytest

from tutti.clusters.tests.factories import ClusterMemberFactory
from tutti.directory.tests.factories import SchoolFactory
from tutti.provision import selectors, views
from tutti.provision.tests.factories import SchoolAuditFactory, audit_path
from tutti.provision.tests.test_views import ANSWERS

MAP = "/wiltshire/provision/"


def svg(html: str) -> str:
    return "<svg" + html.split('<figure class="map">', 1)[1].split("<svg", 1)[1].split("</svg>")[0]


def ranks(html: str) -> list[tuple[int, str]]:
    """(rank, school) of each row of the gap list."""
    gaps = html.split('id="gaps"', 1)[1]
    return [
        (int(rank), name)
        for rank, name in re.findall(r'<tr><td>(\d+)</td><th scope="row">([^<]+)</th>', gaps)
    ]


def add_schools(world, n: int) -> None:
    for i in range(n):
        school = SchoolFactory(local_authority=world.la, pupils=100 + i, name=f"School {i:03d}")
        SchoolAuditFactory(hub=world.hub, school=school, wcet="partly")
        ClusterMemberFactory(cluster=world.other_cluster, organisation=school)


@pytest.mark.parametrize("schools", [1, 15, 60])
def test_a_drawn_map_is_read_from_the_cache_with_one_query_however_many_schools(
    client, world, django_assert_num_queries, schools
):
    add_schools(world, schools)
    # Drawn: the hub, its authorities, its schools, audits, clusters and participation records.
    with django_assert_num_queries(9):
        drawn = client.get(f"{MAP}?role=wcet").content
    # From the cache: the hub only.
    with django_assert_num_queries(1):
        again = client.get(f"{MAP}?role=wcet").content
    assert again == drawn


def test_a_changed_audit_shows_on_the_map_at_once(client, world):
    assert "Devizes Primary School: unknown" in client.get(MAP).content.decode()
    # The school answers through its own link, as it would.
    client.post(audit_path(world.hub, world.school), ANSWERS | {"wcet": "no"})
    assert "Devizes Primary School: not provided" in client.get(MAP).content.decode()
    record = world.school.music_audits.get()
    record.wcet = "yes"
    record.save()
    html = client.get(MAP).content.decode()
    assert "Devizes Primary School: provided" in html
    assert "Devizes Primary School" not in html.split('id="gaps"', 1)[1]


def test_a_renamed_school_and_a_new_cluster_member_show_at_once(client, world):
    client.get(MAP)
    world.school.name = "Devizes Church of England Primary"
    world.school.save()  # a school is the register's, every hub's
    school = SchoolFactory(name="Pewsey Primary", local_authority=world.la)
    ClusterMemberFactory(cluster=world.other_cluster, organisation=school)
    html = client.get(MAP).content.decode()
    assert "Devizes Church of England Primary: unknown" in html
    assert "Pewsey Primary: unknown" in html


def test_each_filter_is_drawn_and_kept_apart(client, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, wcet="no", singing="yes")
    client.get(f"{MAP}?role=wcet")
    assert "Devizes Primary School: provided" in client.get(f"{MAP}?role=singing").content.decode()
    assert "Devizes Primary School: not provided" in client.get(MAP).content.decode()


def test_the_cache_key_holds_the_hub_year_filters_and_data_versions(world):
    stored = selectors.GapMapCache.of(hub=world.hub, year=2026)
    key = stored.key("analysis", role="wcet", phase="")
    assert key == stored.key("analysis", phase="", role="wcet")
    assert key != stored.key("analysis", role="singing", phase="")
    assert key != selectors.GapMapCache.of(hub=world.other_hub, year=2026).key(
        "analysis", role="wcet", phase=""
    )
    assert key != selectors.GapMapCache.of(hub=world.hub, year=2025).key(
        "analysis", role="wcet", phase=""
    )
    SchoolAuditFactory(hub=world.hub, school=world.school)  # a write: a new version
    assert key != selectors.GapMapCache.of(hub=world.hub, year=2026).key(
        "analysis", role="wcet", phase=""
    )


def test_signed_in_staff_see_the_same_drawing(client, client_for, world):
    add_schools(world, 3)
    anonymous = client.get(MAP).content.decode()
    staff = client_for("staff").get(MAP).content.decode()
    assert svg(staff) == svg(anonymous)


def test_the_gap_list_is_in_pages_and_the_map_shows_every_school(client, world):
    add_schools(world, 60)  # and Devizes Primary School, not audited: 61 schools lacking WCET
    first = client.get(f"{MAP}?role=wcet&phase=Primary").content.decode()
    assert [rank for rank, _ in ranks(first)] == list(range(1, views.GAP_LIST_PER_PAGE + 1))
    assert "61 schools lack whole-class ensemble teaching: 1 to 50 shown" in first
    # The next page keeps the filters, and goes back to the list.
    assert 'href="?role=wcet&amp;phase=Primary&amp;page=2#gaps" rel="next"' in first
    second = client.get(f"{MAP}?role=wcet&phase=Primary&page=2").content.decode()
    assert [rank for rank, _ in ranks(second)] == list(range(51, 62))
    assert 'href="?role=wcet&amp;phase=Primary&amp;page=1#gaps" rel="prev"' in second
    # The order of the stated rule runs on across the pages.
    rows = selectors.school_provision(hub=world.hub, year=views.current_academic_year())
    expected = [r.name for r in selectors.gap_ranking(rows=rows, role="wcet")]
    assert [name for _, name in ranks(first) + ranks(second)] == expected
    # Every page's map and counts are of all the schools.
    for html in (first, second):
        assert svg(html).count('class="gap-point ') == 61
        assert '<tfoot><tr><th scope="row">All schools</th><td>61</td>' in html
    # A page beyond the last is the last; a page that is not a number, the first.
    assert ranks(client.get(f"{MAP}?page=9").content.decode()) == ranks(second)
    assert ranks(client.get(f"{MAP}?page=x").content.decode()) == ranks(first)


def test_a_short_gap_list_has_no_pages(client, world):
    add_schools(world, 3)
    html = client.get(MAP).content.decode()
    assert [rank for rank, _ in ranks(html)] == [1, 2, 3, 4]
    assert 'class="pagination"' not in html
    assert "shown. The map shows them all." not in html

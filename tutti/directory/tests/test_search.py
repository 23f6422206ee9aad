"""Directory text search on its indexes (tutti.core.search): the same results with and without
them, kept in step with every change, used by PostgreSQL, and typos found there."""

import pytest
from django.db import connection
from django.db.models import F, Q

from tutti.core.search import SQLITE_HAS_TRIGRAM, searchable
from tutti.core.tests.plans import plan_without_seq_scans
from tutti.directory.models import Organisation
from tutti.directory.selectors import (
    DirectoryFilters,
    directory_search,
    hub_organisations,
    organisation_named,
    plain,
)
from tutti.directory.tests.factories import SchoolFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes and typos: PostgreSQL"
)


def names(hub, q, **filters):
    results = directory_search(hub=hub, filters=DirectoryFilters(q=q, **filters))
    found = [o.name for o in results.organisations]
    # The count the pages are made from is that of the list itself, typos' matches too.
    assert results.count == len(found)
    return found


@pytest.fixture
def schools(world):
    for name, town in [
        ("St Joseph's Catholic Primary School", "Swindon"),
        ("Bradford-on-Avon Primary", "Bradford on Avon"),
        ("Primary Academy", "Trowbridge"),
        ("Primary", "Melksham"),
        ('The "Quoted" School', "Calne"),
    ]:
        SchoolFactory(name=name, town=town, local_authority=world.la)
    return world


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("jose", ["St Joseph's Catholic Primary School"]),  # part of a word
        ("st josephs", ["St Joseph's Catholic Primary School"]),
        ("SWINDON", ["St Joseph's Catholic Primary School"]),  # the town
        ("on avo", ["Bradford-on-Avon Primary"]),  # a short word: LIKE alone
        ('"quoted"', ['The "Quoted" School']),  # FTS5 syntax is only text
        ("*", []),
    ],
)
def test_words_are_found_as_the_plain_like_finds_them(schools, q, expected):
    assert names(schools.hub, q) == expected


def test_exact_then_starting_with_then_the_rest(schools):
    assert names(schools.hub, "primary") == [
        "Primary",
        "Primary Academy",
        "Bradford-on-Avon Primary",
        "Devizes Primary School",
        "St Joseph's Catholic Primary School",
    ]


def test_the_index_follows_new_changed_and_deleted_names(world):
    school = SchoolFactory(name="Larkhill Primary", local_authority=world.la)
    assert names(world.hub, "larkhill") == ["Larkhill Primary"]
    Organisation.objects.filter(pk=school.pk).update(name="Bulford St Leonard's")
    assert names(world.hub, "larkhill") == []
    assert names(world.hub, "leonards") == ["Bulford St Leonard's"]
    Organisation.objects.filter(pk=school.pk).update(town="Tidworth")
    assert names(world.hub, "tidworth") == ["Bulford St Leonard's"]
    school.delete()
    assert names(world.hub, "leonards") == []


def test_the_same_name_is_found_through_the_index(schools):
    found = organisation_named(hub=schools.hub, name="St. Josephs Catholic Primary School")
    assert found is not None and found.town == "Swindon"
    assert organisation_named(hub=schools.hub, name="St Josephs Catholic") is None


@pytest.mark.skipif(
    connection.vendor != "sqlite" or not SQLITE_HAS_TRIGRAM, reason="the FTS5 table: SQLite"
)
def test_sqlite_keeps_the_plain_text_in_its_fts_table(world):
    school = SchoolFactory(name="St Mary\u2019s C-of-E", town="Devizes", local_authority=world.la)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT plain_name, plain_town FROM directory_organisation_search WHERE rowid = %s",
            [school.pk],
        )
        assert cursor.fetchone() == (searchable(school.name), "Devizes")


def test_plain_in_sql_is_searchable_in_python(world):
    odd = "St. Mary\u2019s C-of-E / Holy\u2013Trinity, `x\u00b4 \u2018y\u2019"
    school = SchoolFactory(name=odd, local_authority=world.la)
    got = Organisation.objects.annotate(p=plain(F("name"))).get(pk=school.pk).p
    assert " ".join(got.split()) == searchable(odd)


@postgres_only
@pytest.mark.parametrize("q", ["jospeh", "JOSPEH"])
def test_a_typo_finds_the_closest_names(schools, q):
    assert names(schools.hub, q)[0] == "St Joseph's Catholic Primary School"


@postgres_only
def test_a_typo_is_only_a_fallback(schools):
    assert names(schools.hub, "joseph") == ["St Joseph's Catholic Primary School"]
    assert names(schools.hub, "xylophonic") == []


@postgres_only
@pytest.mark.parametrize("field", ["name", "town"])
def test_postgresql_serves_the_plain_like_from_the_trigram_indexes(schools, field):
    # The index holds the very expression the search compares: a change to ``plain`` or to
    # the index that parts them shows here.
    # On a table this small the planner may prefer any plan; with plain scans and index scans
    # off, only an index that holds the expression (a bitmap scan) can serve the filter.
    queryset = (
        Organisation.objects.annotate(p=plain(F(field))).filter(p__icontains="joseph").order_by()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert f"directory_organisation_plain_{field}_trgm" in plan


def test_the_directory_is_the_hubs_schools_and_partners_on_any_database(world):
    """hub_organisations' in_once lookups give the rows a plain join would."""
    expected = Organisation.objects.filter(
        Q(kind="school", local_authority__hubs=world.hub)
        | Q(partnerships__hub=world.hub, partnerships__status="active")
    ).distinct()
    got = hub_organisations(hub=world.hub)
    assert set(got.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True))
    assert world.school in got and world.partner in got
    assert world.other_school not in got


@postgres_only
def test_the_hubs_directory_is_read_through_indexes_not_a_scan_of_every_school(world):
    # The subqueries run once, as arrays, so each side of the OR can use an index; with
    # sequential scans off, a plan that still had to scan the table would say so.
    queryset = hub_organisations(hub=world.hub).order_by()
    assert "= ANY(ARRAY(SELECT" in str(queryset.query)
    plan = plan_without_seq_scans(queryset)
    assert "Seq Scan on directory_organisation " not in plan


@pytest.mark.parametrize("q", ["", "primary"])
def test_a_school_in_two_clusters_is_listed_once_by_a_cluster_filter(schools, q):
    # The directory's tests may not import the clusters app above it; its models are read here.
    from tutti.clusters.tests.factories import ClusterFactory, ClusterMemberFactory

    school = Organisation.objects.get(name="Primary Academy")
    first, second = ClusterFactory(hub=schools.hub), ClusterFactory(hub=schools.hub)
    for cluster in (first, second):
        ClusterMemberFactory(cluster=cluster, organisation=school)
    assert names(schools.hub, q, cluster=first.slug) == ["Primary Academy"]
    # Without a filter across a join, every school once too (no DISTINCT is asked for).
    listed = names(schools.hub, q)
    assert len(listed) == len(set(listed)) and "Primary Academy" in listed

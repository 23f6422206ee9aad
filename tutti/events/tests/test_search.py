"""What's On text search on its indexes (tutti.core.search): the same results as the plain
LIKE, kept in step with changes, and served by the trigram indexes on PostgreSQL."""

import pytest
from django.db import connection

from tutti.core.tests.plans import plan_without_seq_scans
from tutti.events.models import Event
from tutti.events.selectors import EventFilters, public_events
from tutti.events.tests.test_views import at, event


def titles(world, q):
    return [e.title for e in public_events(hub=world.hub, filters=EventFilters(q=q))]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("songwrit", ["Songwriting day"]),  # part of a word, in the title
        ("RIFFS", ["Songwriting day"]),  # the summary, any case
        ("old hall", ["Brass at the hall"]),  # the typed venue's name
        ("of", ["Brass at the hall"]),  # a short word: LIKE alone
        ('"day', []),  # FTS5 syntax is only text
    ],
)
def test_words_are_found_as_the_plain_like_finds_them(world, q, expected):
    event(world, title="Songwriting day", summary="Hooks and riffs.", venue_name="")
    event(world, title="Brass at the hall", venue_name="Old Hall of Calne", starts_at=at(20))
    assert titles(world, q) == expected


def test_the_index_follows_changed_and_deleted_events(world):
    e = event(world, title="Ukulele club")
    assert titles(world, "ukulele") == ["Ukulele club"]
    Event.objects.filter(pk=e.pk).update(title="Recorder club")
    assert titles(world, "ukulele") == []
    assert titles(world, "recorder") == ["Recorder club"]
    Event.objects.filter(pk=e.pk).delete()
    assert titles(world, "recorder") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
@pytest.mark.parametrize("field", ["title", "summary", "venue_name"])
def test_postgresql_serves_the_like_from_the_trigram_indexes(world, field):
    event(world, title="Songwriting day")
    queryset = Event.objects.filter(**{f"{field}__icontains": "songwriting"})
    plan = plan_without_seq_scans(queryset)
    assert f"events_event_{field}_trgm" in plan

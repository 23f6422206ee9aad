"""Indexes for What's On text search (tutti.core.search): trigram indexes on PostgreSQL, an
FTS5 table kept in step by triggers on SQLite, over the title, summary and venue name."""

from django.db import migrations

from tutti.core.search import Searched, TextIndex

EVENT_SEARCH = TextIndex(
    table="events_event",
    fields=[Searched("title"), Searched("summary"), Searched("venue_name")],
)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_places_venue_text_payment"),
    ]

    operations = [EVENT_SEARCH.operation()]

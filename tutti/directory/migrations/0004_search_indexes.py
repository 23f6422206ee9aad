"""Indexes for text search (tutti.core.search): trigram indexes on PostgreSQL, an FTS5 table
kept in step by triggers on SQLite. The names and towns punctuation-stripped, as the directory
searches them, and as stored, as What's On searches them."""

from django.db import migrations

from tutti.core.search import Searched, TextIndex

ORGANISATION_SEARCH = TextIndex(
    table="directory_organisation",
    fields=[
        Searched("name", plain=True),
        Searched("town", plain=True),
        Searched("name"),
        Searched("town"),
    ],
)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_organisation_pupils_census"),
    ]

    operations = [ORGANISATION_SEARCH.operation()]

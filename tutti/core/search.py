"""Text search: words matched anywhere in names, with an index on each database.

What a search means does not depend on the database: every word typed must appear, ignoring
case, somewhere in one of the fields searched (``icontains``), after ``searchable`` has dropped
the punctuation people type or leave out at will ("St Joseph's" = "St Josephs"). The indexes
only make that fast; a query never finds something the plain LIKE would not.

PostgreSQL: ``pg_trgm``'s GIN trigram indexes on the very expressions the selectors filter on,
``UPPER((<plain field>)::text)``, which is what Django's ``icontains`` compiles to. PostgreSQL
serves ``LIKE '%word%'`` from such an index for words of three or more characters, and picks
an expression index only when the query's expression is the index's, to the letter: the SQL
here is written to match ``plain()`` and the lookup, and tutti/*/tests/test_search*.py check
the plans, so a change to either shows there. When the plain search finds nothing, a word can
be a typo: ``fuzzy`` finds names with a word close to it (``word_similarity`` above
``TYPO_SIMILARITY``, e.g. "Jospeh" finds "St Joseph's"), most similar first.

SQLite (the embedded default): an FTS5 table with the trigram tokenizer (SQLite 3.34 or later)
holding the searched text of each row, kept in step by triggers. A word of three or more
characters is looked up there first (``FTS_MIN``), and the rows found still have to pass the
LIKE, so the results are the same as without it (FTS5 folds more case than LIKE, never less).
Shorter words are matched by LIKE alone. The FTS table keeps its own copy of the text rather
than reading an external content table: the text searched is an expression (punctuation
stripped), not a column, and a view as content would break when Django remakes the table.
Django remakes a SQLite table for many schema changes (dropping it and its triggers): a
migration that changes a searched table must run the index's ``operation()`` again after it.
The tests build the database from the migrations, so a lost trigger fails them.

Ranking, the same on both: an exact name first, then names starting with the words typed,
then the rest by name; typo matches by similarity, then name.

This module knows no app: the apps say which table and fields, in their migrations and
selectors.
"""

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import (
    BooleanField,
    CharField,
    F,
    FloatField,
    Func,
    Model,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least, Replace

# Punctuation that people type or leave out at will: "St Joseph's", "St. Josephs", "St Josephs"
# are one school. Removed from both the words typed and the names searched; dashes and slashes
# become spaces, so "Bradford-on-Avon" is three words.
DROPPED = "'\u2019\u2018`\u00b4.,"  # straight, curly and other apostrophes, full stop, comma
SPACED = "-\u2013\u2014/"  # hyphen, en and em dashes, slash

# Trigram searches need three characters; "st" is looked for with LIKE alone.
FTS_MIN = 3
# pg_trgm's word_similarity between a typed word and the closest part of a name: "jospeh" and
# "joseph" score 0.45, unrelated words of the same length well under 0.3.
TYPO_SIMILARITY = 0.4
SQLITE_HAS_TRIGRAM = sqlite3.sqlite_version_info >= (3, 34)

_M = TypeVar("_M", bound=Model)


def searchable(text: str) -> str:
    text = text.translate({ord(c): None for c in DROPPED})
    return " ".join(text.translate({ord(c): " " for c in SPACED}).split())


class Plain(Func):
    """``searchable`` in SQL, for a field: the same characters dropped or made spaces. One
    TRANSLATE on PostgreSQL (worked out for every row a search reads, so it must be cheap);
    a REPLACE a character on SQLite, which has no TRANSLATE."""

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        expression = self.source_expressions[0]
        for character in DROPPED:
            expression = Replace(expression, Value(character), Value(""))
        for character in SPACED:
            expression = Replace(expression, Value(character), Value(" "))
        return compiler.compile(expression)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        translated = Func(
            self.source_expressions[0],
            Value(SPACED + DROPPED),
            Value(" " * len(SPACED)),  # the rest of the characters have no partner: dropped
            function="TRANSLATE",
            output_field=CharField(),
        )
        return compiler.compile(translated)


def plain(expression: Any) -> Plain:
    return Plain(expression)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def plain_sql(column: str, vendor: str) -> str:
    """``plain`` as SQL text, for index expressions and triggers: the very SQL ``Plain``
    compiles to, or PostgreSQL would not see that an index holds it."""
    if vendor == "postgresql":
        return f"TRANSLATE({column}, {_literal(SPACED + DROPPED)}, {_literal(' ' * len(SPACED))})"
    sql = column
    for character in DROPPED:
        sql = f"REPLACE({sql}, {_literal(character)}, '')"
    for character in SPACED:
        sql = f"REPLACE({sql}, {_literal(character)}, ' ')"
    return sql


@dataclass(frozen=True)
class Searched:
    """A field searched: its name in the FTS table, and whether it is searched ``plain``."""

    column: str
    plain: bool = False

    def sql(self, vendor: str, row: str = "") -> str:
        column = f"{row}{self.column}"
        return plain_sql(column, vendor) if self.plain else column

    @property
    def fts_column(self) -> str:
        return f"plain_{self.column}" if self.plain else self.column


@dataclass(frozen=True)
class TextIndex:
    """The search indexes of one table: a trigram index per field on PostgreSQL, one FTS5
    table over them all on SQLite. Made and removed by ``operation()`` in a migration."""

    table: str
    fields: Sequence[Searched]
    pk: str = "id"

    @property
    def fts_table(self) -> str:
        return f"{self.table}_search"

    def _pg_index(self, field: Searched) -> str:
        return f"{self.table}_{field.fts_column}_trgm"

    def postgres_create(self) -> list[str]:
        return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
            f'CREATE INDEX IF NOT EXISTS "{self._pg_index(f)}" ON "{self.table}" '
            f"USING gin ((UPPER(({f.sql('postgresql')})::text)) gin_trgm_ops)"
            for f in self.fields
        ]

    def postgres_drop(self) -> list[str]:
        # The extension stays: other indexes may use it, and dropping it needs a superuser.
        return [f'DROP INDEX IF EXISTS "{self._pg_index(f)}"' for f in self.fields]

    # The SQL below is built from table and field names in our code, never from what people
    # search for: the one word searched goes in as a parameter.
    def sqlite_create(self) -> list[str]:
        columns = ", ".join(f.fts_column for f in self.fields)
        new = ", ".join(f.sql("sqlite", "new.") for f in self.fields)
        current = ", ".join(f.sql("sqlite") for f in self.fields)
        watched = ", ".join(f.column for f in self.fields)
        insert = f"INSERT INTO {self.fts_table}(rowid, {columns}) VALUES (new.{self.pk}, {new});"  # noqa: S608
        delete = f"DELETE FROM {self.fts_table} WHERE rowid = old.{self.pk};"  # noqa: S608
        return [
            *self.sqlite_drop(),
            f"CREATE VIRTUAL TABLE {self.fts_table} USING fts5({columns}, tokenize='trigram')",
            f"CREATE TRIGGER {self.fts_table}_insert AFTER INSERT ON {self.table} "
            f"BEGIN {insert} END",
            f"CREATE TRIGGER {self.fts_table}_update AFTER UPDATE OF {self.pk}, {watched} "
            f"ON {self.table} BEGIN {delete} {insert} END",
            f"CREATE TRIGGER {self.fts_table}_delete AFTER DELETE ON {self.table} "
            f"BEGIN {delete} END",
            f"INSERT INTO {self.fts_table}(rowid, {columns}) "  # noqa: S608
            f"SELECT {self.pk}, {current} FROM {self.table}",
        ]

    def sqlite_drop(self) -> list[str]:
        return [
            *(
                f"DROP TRIGGER IF EXISTS {self.fts_table}_{event}"
                for event in ("insert", "update", "delete")
            ),
            f"DROP TABLE IF EXISTS {self.fts_table}",
        ]

    def _run(self, schema_editor: BaseDatabaseSchemaEditor, create: bool) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            statements = self.postgres_create() if create else self.postgres_drop()
        elif vendor == "sqlite" and SQLITE_HAS_TRIGRAM:
            statements = self.sqlite_create() if create else self.sqlite_drop()
        else:
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def operation(self) -> migrations.RunPython:
        """A reversible migration operation, doing nothing on other databases."""

        def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            self._run(schema_editor, create=True)

        def backwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            self._run(schema_editor, create=False)

        return migrations.RunPython(forwards, backwards, elidable=False)

    # Queries

    def prefilter(self, vendor: str, word: str) -> Q:
        """Rows that may contain the word, from the FTS table (SQLite); everything elsewhere.
        Always combined with the LIKE it stands in front of, which decides."""
        if vendor != "sqlite" or not SQLITE_HAS_TRIGRAM or len(word) < FTS_MIN:
            return Q()
        phrase = '"' + word.replace('"', '""') + '"'
        return Q(
            pk__in=RawSQL(  # noqa: S611
                f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s",  # noqa: S608
                [phrase],
            )
        )


def contains_every_word(
    queryset: QuerySet[_M],
    words: Sequence[str],
    lookups: Sequence[str],
    *,
    index: TextIndex | None = None,
    extra: Callable[[str], Q] | None = None,
) -> QuerySet[_M]:
    """Rows where every word is in one of the fields (``<field>__icontains``), or meets
    ``extra(word)``; with the index's prefilter in front of each word's LIKE."""
    vendor = queryset.db and _vendor(queryset.db)
    for word in words:
        matches = Q()
        for lookup in lookups:
            matches |= Q(**{f"{lookup}__icontains": word})
        if index is not None:
            matches = index.prefilter(vendor, word) & matches
        if extra is not None:
            matches |= extra(word)
        queryset = queryset.filter(matches)
    return queryset


def _vendor(alias: str) -> str:
    from django.db import connections

    return connections[alias].vendor


class WordSimilarity(Func):
    """pg_trgm's ``word_similarity(word, text)``: how well the word matches some part of text."""

    function = "WORD_SIMILARITY"
    output_field = FloatField()


class WordSimilar(Func):
    """pg_trgm's ``word <% text``: ``word_similarity`` at least the session's threshold. Unlike
    the function, the operator is served by the trigram index on ``text``."""

    template = "%(expressions)s"
    arg_joiner = " <%% "
    output_field = BooleanField()


def fuzzy(queryset: QuerySet[_M], words: Sequence[str], fields: Sequence[Any]) -> QuerySet[_M]:
    """Rows where every word is close to part of one of the fields (SQL expressions with a
    trigram index), annotated ``similarity`` (the weakest word's best field). PostgreSQL only:
    elsewhere there are none."""
    if _vendor(queryset.db) != "postgresql" or not words:
        return queryset.none()
    from django.db import connections

    with connections[queryset.db].cursor() as cursor:
        # The operator's threshold is a setting, for this connection; nothing else uses it.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(TYPO_SIMILARITY)],
        )
    scores = []
    for n, word in enumerate(words):
        close = Q()
        for field in fields:
            close |= Q(WordSimilar(Value(word), field))
        name = f"similarity_{n}"
        per_field = [WordSimilarity(Value(word), field) for field in fields]
        best = Greatest(*per_field) if len(per_field) > 1 else per_field[0]
        queryset = queryset.filter(close).annotate(**{name: best})
        scores.append(F(name))
    weakest = scores[0] if len(scores) == 1 else Least(*scores)
    return queryset.annotate(similarity=weakest)

"""PostgreSQL's plan of a query with sequential scans off, for the tests that an index is used:
a plan that must still scan a table says so, whatever the few test rows would favour."""

from django.db import connection
from django.db.models import QuerySet


def plan_without_seq_scans(queryset: QuerySet) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")

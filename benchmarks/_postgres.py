"""A throwaway database on a PostgreSQL server, shared by the benchmarks."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


@contextmanager
def throwaway_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards; yields its URL."""
    import dj_database_url
    import psycopg

    c = dj_database_url.parse(server_url)
    connect = {
        "host": c["HOST"] or None,
        "port": c["PORT"] or None,
        "user": c["USER"] or None,
        "password": c["PASSWORD"] or None,
        "dbname": c["NAME"] or "postgres",
        "autocommit": True,
    }
    name = f"tutti_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        # PostgreSQL will not drop a database that this process (when it ran Django on it)
        # is still connected to.
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

"""Reference data loaded once per test database, kept across transactional tests.

A transactional test (``django_db(transaction=True)``, the live server, the real worker, the
concurrency races) ends with Django's ``flush``, which empties EVERY table, including what the
migrations loaded: participating countries, ecosystems, sectors, the 6,414 cities, the
lump-sum rates, content types and permissions. ``serialized_rollback`` put them back by
deserialising the whole database object by object after each test: about 25 s per
concurrency file on PostgreSQL.

Instead, right after the test database is migrated, every table that holds rows is recorded
here as reference data (whatever data migrations and ``post_migrate`` wrote, found, not
listed by hand). During the test session the ``flush`` command that ends a transactional test
empties only the other tables, then compares each reference table with its record and
rewrites only a table that differs (a test changed it, or PostgreSQL's ``TRUNCATE ... CASCADE``
emptied it because it points at an emptied table, as the lump-sum rates point at users). After
every transactional test the database is therefore exactly the freshly migrated one, on SQLite
and on PostgreSQL, as with ``serialized_rollback``, for a few milliseconds instead of seconds.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.apps import apps
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import connections, transaction
from django.db.models import Model

#: alias -> {model: rows}, each row the tuple of its concrete columns, ordered by primary key.
_SNAPSHOTS: dict[str, dict[type[Model], list[tuple]]] = {}


def _models_with_tables(connection) -> list[type[Model]]:
    existing = set(connection.introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in existing
    ]


def _rows(model: type[Model], alias: str) -> list[tuple]:
    columns = [field.attname for field in model._meta.concrete_fields]
    return list(
        model._base_manager.using(alias).order_by("pk").values_list(*columns)  # noqa: SLF001
    )


def record(alias: str = "default") -> None:
    """Record the rows of every non-empty table of the freshly migrated database ``alias``."""
    connection = connections[alias]
    _SNAPSHOTS[alias] = {
        model: rows for model in _models_with_tables(connection) if (rows := _rows(model, alias))
    }


def reference_tables(alias: str = "default") -> set[str]:
    return {model._meta.db_table for model in _SNAPSHOTS.get(alias, {})}


def flush_keeping_reference(alias: str = "default") -> None:
    """Empty every table but the reference ones, then put each reference table back to its
    record where it differs."""
    connection = connections[alias]
    snapshot = _SNAPSHOTS[alias]
    kept = reference_tables(alias)
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in kept
    ]
    # CASCADE on PostgreSQL (TRUNCATE refuses a table another table points at); a reference
    # table emptied by the cascade is rewritten below.
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=False, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)
    changed = [model for model, rows in snapshot.items() if _rows(model, alias) != rows]
    if not changed:
        return
    # Foreign keys are deferred to the commit on both back-ends: the rewrite order is free.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for model in changed:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        # Plain INSERTs of the recorded values (bulk_create would stamp auto_now_add
        # columns with the current time).
        for model in changed:
            fields = model._meta.concrete_fields
            quote = connection.ops.quote_name
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                quote(model._meta.db_table),
                ", ".join(quote(field.column) for field in fields),
                ", ".join(["%s"] * len(fields)),
            )
            cursor.executemany(
                sql,
                [
                    [
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row, strict=True)
                    ]
                    for row in snapshot[model]
                ],
            )


@contextmanager
def flush_keeps_reference_data():
    """While active, ``manage.py flush`` (what ends a transactional test) keeps the recorded
    reference data of each database that has a record; any other database flushes as usual."""
    original = flush.Command.handle

    def handle(self, **options):
        alias = options["database"]
        if alias not in _SNAPSHOTS:
            return original(self, **options)
        flush_keeping_reference(alias)
        return None

    flush.Command.handle = handle  # type: ignore[method-assign]
    try:
        yield
    finally:
        flush.Command.handle = original  # type: ignore[method-assign]

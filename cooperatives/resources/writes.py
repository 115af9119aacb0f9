"""Writing the import's rows (see docs/benchmarks.md, "Choosing the path" and issue 18):
- on SQLite, new cooperatives by one prepared INSERT run for every row, changed ones by one
  prepared UPDATE per row (`executemany`, stepped in C in-process);
- on PostgreSQL, new ones by COPY, changed ones copied into a temporary table and written by
  one UPDATE from it (no round trip per row).

A row is a dict of the model's field values by attribute name (`province_id`), as the import
checks it (`CooperativeResource.import_rows`); `values_of` gives it for a model instance."""

import datetime
import io

from django.db import connections, transaction
from django.utils import timezone

from ..models import Cooperative

# Every field's attribute name: the keys of a row.
ATTNAMES = [f.attname for f in Cooperative._meta.concrete_fields]

# Model fields compared to decide "unchanged" and written for a changed row.
COMPARED_FIELDS = [
    f.attname
    for f in Cooperative._meta.concrete_fields
    if f.name not in {"id", "search_key", "created_at", "updated_at"}
]

UPDATED_FIELDS = [
    *(name.removesuffix("_id") for name in COMPARED_FIELDS),
    "search_key",
    "updated_at",
]

# Fields whose `get_db_prep_save` returns a value of the field's own Python type (str, int,
# bool, None) unchanged on every backend we run: their column is passed as it is. The rest
# (dates, timestamps) go through `get_db_prep_save`, once per distinct value.
_PASSED_AS_THEY_ARE = {
    "CharField",
    "TextField",
    "BooleanField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
}


def values_of(instance: Cooperative) -> dict:
    """The row of a model instance: its field values by attribute name."""
    return {name: getattr(instance, name) for name in ATTNAMES}


def _prepared(fields: list, rows: list[dict], connection) -> list[tuple]:
    """The rows' values of `fields`, as the fields prepare them for the database."""
    return list(zip(*_prepared_columns(fields, rows, connection), strict=True))


def _prepared_columns(fields: list, rows: list[dict], connection) -> list[list]:
    """`_prepared` column by column (a column repeats its dates and its one timestamp)."""
    columns = []
    for field in fields:
        column = [row[field.attname] for row in rows]
        if field.get_internal_type() not in _PASSED_AS_THEY_ARE:
            done: dict = {}
            for index, value in enumerate(column):
                if value not in done:
                    done[value] = field.get_db_prep_save(value, connection)
                column[index] = done[value]
        columns.append(column)
    return columns


# COPY's text format: a backslash, tab, newline or carriage return inside a value escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """One value in COPY's text format (None is `\\N`, a boolean `t` or `f`)."""
    if value is None:
        return "\\N"
    if value.__class__ is str:
        return value.translate(_COPY_ESCAPES)
    if value.__class__ is bool:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # a datetime is a date
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy_in(cursor, table: str, names: str, columns: list[list]) -> None:
    """COPY the prepared `columns` into `table`'s (quoted) column `names`. `copy_expert` is
    psycopg2's own: the caller holds `connection.wrap_database_errors`, which makes its errors
    Django's (an `IntegrityError` for a code written meanwhile)."""
    cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", io.StringIO(_copy_text(columns)))


def _copy_text(prepared: list[list]) -> str:
    """The prepared columns as the text COPY reads: a line a row, tabs between the values,
    each distinct value of a column written once (a column repeats its blanks, its flags, its
    dates and its one timestamp)."""
    columns = []
    for column in prepared:
        # 1, 1.0 and True are one key, but a column holds one field's one type (or None).
        written = {value: _copy_value(value) for value in set(column)}
        columns.append(list(map(written.__getitem__, column)))
    return "".join(line + "\n" for line in map("\t".join, zip(*columns, strict=True)))


def insert_rows(rows: list[dict], *, using: str) -> None:
    """New rows written (their `created_at` and `updated_at` set to now) by INSERTs or COPY,
    instead of Django's `bulk_create`, whose compiler wraps every value in four more calls
    and compiles the SQL anew for every 32 rows on SQLite: 40 % of the whole import of a
    few-column file in a profile (issue 18, docs/benchmarks.md). Only column names (quoted by
    the backend) go into the SQL text; values are parameters."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(Cooperative._meta.db_table)
    fields = [f for f in Cooperative._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for row in rows:
        row["created_at"] = row["updated_at"] = now
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # COPY takes the rows as data in one stream, which the server parses far faster
        # than the same rows as the parameters of multi-row INSERTs, and psycopg2 need not
        # quote 31 parameters a row into SQL text: the write of 50,000 new rows 3.1 → 1.1 s,
        # of which the client's CPU 1.1 → 0.3 s (issue 18, docs/benchmarks.md). Every
        # constraint, index and foreign key is checked as for an INSERT.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            _copy_in(cursor, table, columns, _prepared_columns(fields, rows, connection))
        return
    # SQLite (and any other database: only SQLite and PostgreSQL are supported) runs one
    # statement prepared once and stepped per row by the driver; SQLite runs in-process, so
    # that costs less than multi-row statements, whose ~1,000 placeholders Django rewrites
    # ("%s" → "?") and binds anew for every 32 rows (issue 18, third pass).
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES {row_marks}",  # noqa: S608
            _prepared(fields, rows, connection),
        )


def update_rows(rows: list[dict], *, using: str) -> None:
    """Changed rows written by id (their `updated_at` set to now): one prepared UPDATE run for
    every row, or on PostgreSQL one UPDATE from the rows copied (`_update_by_copy`), instead
    of Django's `bulk_update` and its CASE WHEN per field (125 s instead of 1.8 s for 10,000
    rows). Only column names (quoted by the backend) go into the SQL text; values are
    parameters or COPY's data."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(Cooperative._meta.db_table)
    fields = [Cooperative._meta.get_field(name) for name in UPDATED_FIELDS]
    now = timezone.now()
    for row in rows:
        row["updated_at"] = now
    if connection.vendor == "postgresql":
        _update_by_copy(rows, fields, connection, using=using)
        return
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    params = [
        [*values, row["id"]]
        for values, row in zip(_prepared(fields, rows, connection), rows, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
            params,
        )


def _update_by_copy(rows: list[dict], fields: list, connection, *, using: str) -> None:
    """`update_rows` on PostgreSQL: the rows copied into a temporary table, then one UPDATE of
    the registry from it. psycopg2's `executemany` sends one UPDATE per row and waits for each:
    50,000 changed rows took 11 s, of which 2.8 s of the client's CPU (issue 18). The table
    is made from the registry's columns (`WITH NO DATA`: their types, no constraints) and
    dropped at once; the registry's constraints are checked by the UPDATE."""
    quote = connection.ops.quote_name
    table = quote(Cooperative._meta.db_table)
    staged = quote("cooperative_import_changes")
    key = quote(Cooperative._meta.pk.column)
    names = ", ".join([key, *(quote(f.column) for f in fields)])
    assignments = ", ".join(f"{quote(f.column)} = staged.{quote(f.column)}" for f in fields)
    columns = [[row["id"] for row in rows], *_prepared_columns(fields, rows, connection)]
    with (
        transaction.atomic(using=using),  # ON COMMIT DROP: inside a transaction, always
        connection.cursor() as cursor,
        connection.wrap_database_errors,
    ):
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP "  # noqa: S608
            f"AS SELECT {names} FROM {table} WITH NO DATA"
        )
        _copy_in(cursor, staged, names, columns)
        cursor.execute(f"ANALYZE {staged}")  # its size, for the join's plan
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {staged} AS staged "  # noqa: S608
            f"WHERE {table}.{key} = staged.{key}"
        )
        cursor.execute(f"DROP TABLE {staged}")

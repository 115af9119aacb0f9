"""Writing the import's rows: new cooperatives by multi-row INSERTs, changed ones by one
prepared UPDATE per row (see docs/benchmarks.md, "Choosing the path" and issue 18)."""

from django.db import connections

from ..models import Cooperative

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


def insert_rows(instances: list[Cooperative], *, using: str) -> None:
    """Multi-row INSERTs with the values prepared by the model fields (`pre_save` fills the
    timestamps, `get_db_prep_save` converts), instead of Django's `bulk_create`, whose
    compiler wraps every value in four more calls and compiles the SQL anew for every 32
    rows on SQLite: 40 % of the whole import of a few-column file in a profile (issue 18,
    docs/benchmarks.md). Only column names (quoted by the backend) go into the SQL text;
    values are parameters."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(Cooperative._meta.db_table)
    fields = [f for f in Cooperative._meta.concrete_fields if not f.primary_key]
    rows = [
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in instances
    ]
    # Many rows per statement, as many as the backend takes parameters.
    limit = connection.features.max_query_params or 65_000
    per_statement = max(1, min(1000, limit // len(fields)))
    columns = ", ".join(quote(f.column) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([row_marks] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def update_rows(instances: list[Cooperative], *, using: str) -> None:
    """One prepared UPDATE by id run for every changed row, instead of Django's `bulk_update`
    and its CASE WHEN per field (125 s instead of 1.8 s for 10,000 rows). Only column names
    (quoted by the backend) go into the SQL text; values are parameters."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(Cooperative._meta.db_table)
    fields = [Cooperative._meta.get_field(name) for name in UPDATED_FIELDS]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
            params,
        )

"""Writing the import's rows: new cooperatives by `bulk_create`, changed ones by one prepared
UPDATE per row (see docs/benchmarks.md, "Choosing the path")."""

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
    """New cooperatives through Django's `bulk_create`, in INSERTs of up to 1,000 rows (as
    many as the backend takes parameters: 32 on SQLite)."""
    Cooperative.objects.using(using).bulk_create(instances, batch_size=1000)


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

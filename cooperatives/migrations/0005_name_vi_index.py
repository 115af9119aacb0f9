"""An index on the cooperative's name in the `vi` collation (then id), on PostgreSQL only: the
order of `CooperativeQuerySet.in_registry_order`, so /htx/ shows the first page of 35,000
cooperatives from 50 index entries instead of sorting the table on every request (EXPLAIN and
timings in docs/benchmarks.md). SQLite needs none at that scale and its `vi` collation is a
Python function each connection registers: an index using it would make the file unreadable to
any other SQLite client, so this migration does nothing there."""

from django.db import migrations

INDEX = "coop_name_vi_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            'ON cooperatives_cooperative (name COLLATE "vi", id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_vi_collation"),
        ("cooperatives", "0004_cooperative_current_commune"),
    ]

    operations = [migrations.RunPython(create, drop)]

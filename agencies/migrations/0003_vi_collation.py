"""The `vi` collation on PostgreSQL (ICU, Vietnamese). SQLite gets it per connection (core.db)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi-x-icu')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vi")


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]

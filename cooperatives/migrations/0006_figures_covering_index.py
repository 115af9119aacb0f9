"""A covering index on the registry for the dashboards' supported cooperatives (issue 18).

`reporting.figures.cooperatives_supported` groups the supported cooperatives by sector, OCOP
stars and province and adds up their members: with these columns in an index on the key,
PostgreSQL answers from the index alone (an index-only scan of about 300 pages instead of the
1,100 of the table, at 35,000 cooperatives). SQLite has no `INCLUDE`, and Django's
`Index.include` would make a plain index on the key there and warn on every check: the index is
made on PostgreSQL only, by SQL."""

from django.db import migrations

INDEX = "coop_figures_covering_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cooperatives_cooperative (id) "
        "INCLUDE (sector, ocop_stars, province_id, members, ethnic_minority_members)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0005_name_vi_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

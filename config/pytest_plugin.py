"""A pytest plugin loaded before Django reads its settings (pytest.ini: `-p config.pytest_plugin`;
a root conftest.py is read too late, after pytest-django has imported the settings).

The tests run with DEBUG off, as production does, so they need a SECRET_KEY (config.settings
refuses to start without one); and they run on the settings' defaults, not on a developer's
`.env` (which may turn DEBUG on for `manage.py runserver`). Either may still be given in the
environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("HOPLUC_ENV_FILE", os.devnull)


# Tests that flush the database (`django_db(transaction=True, serialized_rollback=True)`) get the
# reference data back from Django's serialized copy, which re-saves it row by row: for the
# 13,361 communes and their 10,602 links that took ~10 s per such test. Those two tables are put
# back by one multi-row INSERT each instead (same rows, same ids; rows still there are kept),
# after the rest.
BULK_RESTORED = ("agencies.commune", "agencies.communesuccession", "agencies.communename")


def _patch_test_database_restore() -> None:
    import json

    from django.db.backends.base.creation import BaseDatabaseCreation

    restore = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize_db_from_string(self, data):
        from django.apps import apps
        from django.db import transaction

        rows = json.loads(data)
        restore(self, json.dumps([r for r in rows if r["model"] not in BULK_RESTORED]))
        quote = self.connection.ops.quote_name
        for label in BULK_RESTORED:
            model = apps.get_model(label)
            fields = [f for f in model._meta.concrete_fields if not f.primary_key]
            columns = ", ".join(quote(c) for c in ["id", *(f.column for f in fields)])
            marks = ", ".join(["%s"] * (len(fields) + 1))
            values = [
                [r["pk"], *(r["fields"][f.name] for f in fields)]
                for r in rows
                if r["model"] == label
            ]
            with (
                transaction.atomic(using=self.connection.alias),
                self.connection.cursor() as cursor,
            ):
                # Table and column names come from the models; the values are bound.
                insert = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert + " ON CONFLICT DO NOTHING", values)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string


_patch_test_database_restore()


# A statement the planner gets badly wrong on a fresh test database (no statistics yet) fails
# its test after two minutes, with its SQL in the error, instead of running until CI's limit
# (it happened once: a NOT IN re-run for each row, see ProgressUpdateQuerySet.mark_latest).
STATEMENT_TIMEOUT = "120s"


def _limit_statements_on_postgresql() -> None:
    from django.db.backends.signals import connection_created

    def limit_statements(sender, connection, **kwargs) -> None:
        if connection.vendor == "postgresql":
            with connection.connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")

    connection_created.connect(limit_statements, dispatch_uid="tests_statement_timeout", weak=False)


_limit_statements_on_postgresql()

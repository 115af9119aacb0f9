"""How the import finds the existing cooperative of a row: by its registration code, from
one lookup of every code in the file."""

from django.db import connections
from import_export.instance_loaders import ModelInstanceLoader

from ..importer.values import parse_code
from ..models import Cooperative
from .writes import ATTNAMES


class CodeInstanceLoader(ModelInstanceLoader):
    """Loads, in batches of 900 codes (SQLite's limit on query parameters), the field values
    of every existing cooperative whose code is in the file, so each row's lookup is a
    dictionary hit: `values_for(row)` for the bulk import, `get_instance(row)` (a model
    instance of them) for django-import-export's row loop."""

    BATCH = 900

    def __init__(self, resource, dataset=None, written=None):
        """`written`: the dataset's code column, when the caller has it already (the bulk
        import reads the dataset by columns); otherwise it is taken from the dataset."""
        super().__init__(resource, dataset)
        self.column = resource.fields["registration_code"].column_name
        self.existing: dict[str, dict] = {}
        self.codes: dict = {}
        if dataset is None or self.column not in (dataset.headers or []):
            return
        # Each code as written, read once (`values_for` asks again for every row).
        if written is None:
            written = dataset.get_col(dataset.headers.index(self.column))
        self.codes = {v: parse_code(v) for v in set(written)}
        codes = sorted(self._on_file(set(self.codes.values())))
        for start in range(0, len(codes), self.BATCH):
            batch = codes[start : start + self.BATCH]
            for values in Cooperative.objects.filter(registration_code__in=batch).values(*ATTNAMES):
                self.existing[values["registration_code"]] = values

    def _on_file(self, codes: set[str]) -> list[str]:
        """Which of `codes` the registry has, by a plain query per batch: a new province's
        file (most codes new) then loads the field values of none, and the codes skip the
        ORM's work per value of an IN list (issue 18, fifth pass). Only the table's and the
        column's names, quoted by the backend, go into the SQL text; codes are parameters."""
        connection = connections[Cooperative.objects.db]
        quote = connection.ops.quote_name
        table = quote(Cooperative._meta.db_table)
        column = quote(Cooperative._meta.get_field("registration_code").column)
        codes_list = sorted(codes)
        found: list[str] = []
        with connection.cursor() as cursor:
            for start in range(0, len(codes_list), self.BATCH):
                batch = codes_list[start : start + self.BATCH]
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IN ({marks})",  # noqa: S608
                    batch,
                )
                found.extend(code for (code,) in cursor.fetchall())
        return found

    def values_for(self, row) -> dict | None:
        written = row.get(self.column)
        code = self.codes[written] if written in self.codes else parse_code(written)
        return self.existing.get(code)

    def get_instance(self, row):
        values = self.values_for(row)
        if values is None:
            return None
        return Cooperative.from_db(
            Cooperative.objects.db, ATTNAMES, [values[name] for name in ATTNAMES]
        )

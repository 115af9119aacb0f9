"""How the import finds the existing cooperative of a row: by its registration code, from
one lookup of every code in the file."""

from import_export.instance_loaders import ModelInstanceLoader

from ..importer.values import parse_code
from ..models import Cooperative


class CodeInstanceLoader(ModelInstanceLoader):
    """Loads, in batches of 900 codes (SQLite's limit on query parameters), every existing
    cooperative whose code is in the file, so each row's lookup is a dictionary hit."""

    BATCH = 900

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.column = resource.fields["registration_code"].column_name
        self.instances: dict[str, Cooperative] = {}
        if dataset is None or self.column not in (dataset.headers or []):
            return
        codes = sorted({parse_code(v) for v in dataset.get_col(dataset.headers.index(self.column))})
        for start in range(0, len(codes), self.BATCH):
            batch = codes[start : start + self.BATCH]
            for coop in Cooperative.objects.filter(registration_code__in=batch):
                self.instances[coop.registration_code] = coop

    def get_instance(self, row):
        return self.instances.get(parse_code(row.get(self.column)))

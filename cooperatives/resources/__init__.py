"""The cooperative registry as django-import-export sees it (see docs/architecture.md,
"Import pipeline"):

- `cooperative.py`: `CooperativeResource`, the one resource of the admin's import/export, the
  /htx/ pages and the `import_cooperatives` command (row rules, province scope, the report);
- `widgets.py`: reading and writing cells (parsers of `importer.values`, choices, amounts);
- `loader.py`: the existing cooperatives of a file, found by code in a few queries;
- `writes.py`: new and changed rows written in batches;
- `report.py`: `ImportReport` and its `RowError`s.
"""

from .cooperative import CooperativeResource
from .report import ImportReport, RowError

__all__ = ["CooperativeResource", "ImportReport", "RowError"]

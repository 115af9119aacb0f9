"""Reading the provinces' cooperative lists (.xlsx, .xls, .ods, .csv) into a dataset for
`cooperatives.resources.CooperativeResource`: `read_file(data, name=...)`."""

import tablib

from .files import (
    WORKBOOKS,
    ImportFileError,
    Limits,
    check_archive,
    csv_sheet,
    file_kind,
    xlsx_sheets,
)
from .layout import Layout, read_table

__all__ = ["ImportFileError", "Layout", "Limits", "check_file", "read_file"]


def check_file(data: bytes, *, name: str, limits: Limits | None = None) -> str:
    """The safety checks made before any spreadsheet library opens the file (size, the bytes
    against the name, the .xlsx / .ods archive): 'xlsx', 'xls', 'ods' or 'csv', or
    `ImportFileError`. Fast enough
    for a web request; the upload page makes them before keeping the file."""
    limits = limits or Limits.from_settings()
    kind = file_kind(name, data, limits)
    if kind in ("xlsx", "ods"):
        check_archive(data, limits, kind)
    return kind


def read_file(
    data: bytes, *, name: str, engine: str = "calamine", limits: Limits | None = None
) -> tablib.Dataset:
    """The table of an uploaded file, with our headers; `dataset.layout` tells where each row
    and column came from. Raises `ImportFileError` for any file that cannot be imported.

    `engine` is "calamine" (the default: about ten times faster) or "openpyxl"."""
    limits = limits or Limits.from_settings()
    if check_file(data, name=name, limits=limits) in WORKBOOKS:
        sheets = xlsx_sheets(data, engine, limits)
    else:
        sheets = iter([csv_sheet(data)])
    dataset, _layout = read_table(sheets, limits)
    return dataset

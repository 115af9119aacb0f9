"""django-import-export formats for the registry: reading goes through `read_file` (safe opening,
python-calamine, the provinces' layouts) and writing through `write_xlsx` (typed cells,
Vietnamese number and date formats, formula-like text escaped)."""

import datetime
import io

from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import read_file
from .values import FORMULA_STARTS


class CooperativeXLSX(base_formats.XLSX):
    """.xlsx read with python-calamine (see docs/decisions.md) after the safety checks."""

    engine = "calamine"

    def create_dataset(self, in_stream):
        return read_file(bytes(in_stream), name="danh-sach.xlsx", engine=self.engine)

    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset.headers, iter(dataset))


class CooperativeCSV(base_formats.CSV):
    """UTF-8 .csv; read as bytes so that the encoding and content can be checked."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        return read_file(data, name="danh-sach.csv")


def escape_formula(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) gets a
    leading apostrophe; the importer takes it off again."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"


def write_xlsx(headers: list[str], rows, *, title: str = "Danh sách HTX") -> bytes:
    """An .xlsx with a bold, frozen header row and one typed cell per value. Built with
    openpyxl's write-only mode so that memory stays flat for tens of thousands of rows."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 4))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=escape_formula(header))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = NUMBER_FORMAT
            else:
                cell = escape_formula(value)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""django-import-export formats for the registry: reading goes through `read_file` (safe opening,
python-calamine, the provinces' layouts) and writing through `write_xlsx` (typed cells,
Vietnamese number and date formats, formula-like text escaped)."""

import datetime

from import_export.formats import base_formats

from core.xlsx import DATE_FORMAT, Workbook

from . import read_file


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


NUMBER_FORMAT = "#,##0"


def write_xlsx(headers: list[str], rows, *, title: str = "Danh sách HTX") -> bytes:
    """An .xlsx with a bold, frozen header row and one typed cell per value (through the app's
    one writer, `core.xlsx`, which escapes formula-like text)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.sheet(title)
    sheet.freeze_panes = "A2"
    sheet.set_widths(max(12, min(40, len(header) + 4)) for header in headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
    head = Alignment(wrap_text=True, vertical="center")
    sheet.append(sheet.cell(header, font=bold, fill=fill, alignment=head) for header in headers)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                value = sheet.cell(value, number_format=DATE_FORMAT)
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
                value = sheet.cell(value, number_format=NUMBER_FORMAT)
            cells.append(value)
        sheet.append(cells)
    return workbook.to_bytes()

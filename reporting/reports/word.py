"""The .docx writer: a report laid out as Nghị định 30/2020/NĐ-CP (Phụ lục I) asks.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman in black. Top left
each party agency (its parent not bold above it) with a short rule under them and the number
and symbol; top right the national motto with a rule and, in italics, place and date.
'BÁO CÁO' and the subject in bold, body 14 pt justified with a 1.27 cm first-line indent and
6 pt after each paragraph, numbered sections and tables, 'Nơi nhận' and one signature block per
party agency. Page numbers from page 2, centred at the top."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .models import Report
from .outline import Bullets, Document, Heading, Narrative, Paragraph, Table, compose

FONT = "Times New Roman"
BLACK = RGBColor(0, 0, 0)
BODY_PT = 14
HEADER_PT = 13
TABLE_PT = 12
WIDE_TABLE_PT = 11  # tables of nine columns or more
TEXT_WIDTH_CM = 16.5  # 210 mm - 30 mm - 15 mm
LEFT_COL_CM, RIGHT_COL_CM = 6.5, 10.0
INDENT = Cm(1.27)
# The paragraph properties that come after w:pBdr in the WordprocessingML schema.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def write_docx(report: Report) -> bytes:
    """The report as a .docx file (in Vietnamese, whatever the reader's interface language)."""
    with translation.override("vi"):
        document = compose(report)
        return render(document)


def render(document: Document) -> bytes:
    doc = new_docx()
    _page_setup(doc)
    _styles(doc)
    _page_numbers(doc, document.draft_label)
    _header_block(doc, document)
    _title(doc, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = doc.add_paragraph(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Narrative):
            if not block.paragraphs:
                _body(doc, _("(Chưa có nội dung.)"), italic=True)
            for text in block.paragraphs:
                _body(doc, text)
        elif isinstance(block, Paragraph):
            _body(doc, block.text, italic=block.italic)
        elif isinstance(block, Bullets):
            for item in block.items:
                _body(doc, f"- {item}")
        elif isinstance(block, Table):
            _table(doc, block)
    paragraph = _body(doc, document.appendix_note, italic=True)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    _signatures(doc, document)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- page and styles ---------------------------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)


def _set_font(font, *, size: int | None = None, bold=None, italic=None) -> None:
    """Times New Roman for every script slot (Word picks the slot by character), in black, with
    any theme font or colour of the template removed."""
    font.name = FONT
    r_fonts = font._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), FONT)
    font.color.rgb = BLACK
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal.font, size=BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.15
    for level, italic in ((1, False), (2, False), (3, True)):
        style = doc.styles[f"Heading {level}"]
        _set_font(style.font, size=BODY_PT, bold=True, italic=italic)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(6), Pt(6)
        fmt.first_line_indent = INDENT
        fmt.left_indent = Cm(0)
        fmt.keep_with_next = True
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.line_spacing = 1.15
    grid = doc.styles["Table Grid"]
    _set_font(grid.font, size=TABLE_PT)


def _run(paragraph, text: str, *, size: int, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), FONT)
    r_fonts.set(qn("w:cs"), FONT)
    return run


def _tight(paragraph, *, align=WD_ALIGN_PARAGRAPH.CENTER, after: int = 0):
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.first_line_indent = Cm(0)
    fmt.line_spacing = 1.0
    paragraph.alignment = align
    return paragraph


def _rule(container, length_cm: float, box_cm: float):
    """A short horizontal rule, centred in a box `box_cm` wide: the bottom border of an empty,
    2 pt high paragraph indented from both sides."""
    paragraph = _tight(container.add_paragraph())
    side = Cm(max((box_cm - length_cm) / 2, 0))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Keep the schema's order of paragraph properties: Word refuses files that break it.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return paragraph


def _field(paragraph, instruction: str, *, size: int) -> None:
    """A Word field (PAGE) that Word and LibreOffice fill in when they lay out the pages."""
    run = _run(paragraph, "", size=size)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "2"
            run._r.append(placeholder)


def _page_numbers(doc, draft_label: str) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = _tight(section.header.paragraphs[0])
    _field(paragraph, "PAGE", size=HEADER_PT)
    first = _tight(section.first_page_header.paragraphs[0], align=WD_ALIGN_PARAGRAPH.RIGHT)
    if draft_label:
        _run(first, draft_label, size=12, bold=True)


# --- the top of the first page -----------------------------------------------------------------


def _borderless_table(doc, rows: int, widths_cm: list[float]):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    _fixed_layout(table, widths_cm)
    return table


def _fixed_layout(table, widths_cm: list[float], *, cell_margin_cm: float | None = None) -> None:
    """Fixed column widths that Word and LibreOffice both keep (`autofit = False` makes the
    layout fixed; the grid carries the widths), and optionally narrower cell margins."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    if cell_margin_cm is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("w:left", "w:right"):
            margin = OxmlElement(side)
            margin.set(qn("w:w"), str(int(Cm(cell_margin_cm).twips)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.get_or_add_tblLayout().addnext(margins)


def _header_block(doc, document: Document) -> None:
    table = _borderless_table(doc, 1, [LEFT_COL_CM, RIGHT_COL_CM])
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    # Each party with its own parent line, even when two share one (DOMAIN.md §5).
    for agency in document.agencies:
        if agency.parent:
            _run(_tight(left.add_paragraph()), agency.parent, size=HEADER_PT)
        _run(_tight(left.add_paragraph()), agency.name, size=HEADER_PT, bold=True)
    _rule(left, 2.5, LEFT_COL_CM)
    _run(_tight(left.add_paragraph()), "", size=HEADER_PT)
    _run(_tight(left.add_paragraph()), document.number_line, size=HEADER_PT)

    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _run(_tight(right.add_paragraph()), document.motto_nation, size=12, bold=True)
    _run(_tight(right.add_paragraph()), document.motto_principle, size=HEADER_PT, bold=True)
    _rule(right, 6.0, RIGHT_COL_CM)
    _run(_tight(right.add_paragraph()), "", size=HEADER_PT)
    _run(_tight(right.add_paragraph()), document.place_date, size=HEADER_PT, italic=True)


def _title(doc, document: Document) -> None:
    _tight(doc.add_paragraph(), after=6)
    _run(_tight(doc.add_paragraph()), document.doc_type, size=BODY_PT, bold=True)
    _run(_tight(doc.add_paragraph()), document.subject, size=BODY_PT, bold=True)
    _rule(doc, 4.0, TEXT_WIDTH_CM)
    _tight(doc.add_paragraph(), after=6)


# --- body --------------------------------------------------------------------------------------


def _body(doc, text: str, *, italic: bool = False):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = INDENT
    _run(paragraph, text, size=BODY_PT, italic=italic)
    return paragraph


def _table(doc, block: Table) -> None:
    caption = _tight(doc.add_paragraph(), after=3)
    caption.paragraph_format.keep_with_next = True
    _run(caption, block.caption, size=HEADER_PT, bold=True, italic=True)
    size = WIDE_TABLE_PT if len(block.columns) >= 9 else TABLE_PT
    rows = [block.columns, *block.rows, *([block.footer] if block.footer else [])]
    table = doc.add_table(rows=len(rows), cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, block.widths, cell_margin_cm=0.1)
    last = len(rows) - 1
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        heading = r == 0
        total = block.footer is not None and r == last
        _row_properties(row, header=heading)
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Cm(block.widths[c])
            paragraph = cell.paragraphs[0]
            if heading:
                align = WD_ALIGN_PARAGRAPH.CENTER
            elif c in block.numeric:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            elif c == 0:
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            _tight(paragraph, align=align)
            _run(paragraph, value, size=size, bold=heading or total)
    _tight(doc.add_paragraph(), after=6)


def _row_properties(row, *, header: bool = False) -> None:
    """Rows never break across pages; the header row repeats on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    names = ["w:cantSplit", *(["w:tblHeader"] if header else [])]
    for name in names:  # in the schema's order: cantSplit before tblHeader
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


# --- end of the document -------------------------------------------------------------------------


def _signatures(doc, document: Document) -> None:
    """One signature block per party agency; 'Nơi nhận' bottom left. With one agency they sit on
    one row (recipients left, signature right); with more, the blocks come two by two (titles on
    one row, names on the next so they line up) and the recipients below them on the left."""
    half = TEXT_WIDTH_CM / 2
    signatures = document.signatures
    _tight(doc.add_paragraph(), after=6)
    if len(signatures) <= 1:
        table = _borderless_table(doc, 1, [half, half])
        _row_properties(table.rows[0])
        _recipients(table.rows[0].cells[0], document.recipients)
        if signatures:
            _signature_titles(table.rows[0].cells[1], signatures[0])
            _signature_name(table.rows[0].cells[1], signatures[0])
        return
    pairs = [signatures[i : i + 2] for i in range(0, len(signatures), 2)]
    table = _borderless_table(doc, 2 * len(pairs) + 1, [half, half])
    for n, pair in enumerate(pairs):
        titles, names = table.rows[2 * n], table.rows[2 * n + 1]
        _row_properties(titles)
        _row_properties(names)
        for i, signature in enumerate(pair):
            _signature_titles(titles.cells[i], signature)
            _signature_name(names.cells[i], signature)
    _recipients(table.rows[-1].cells[0], document.recipients, space_before=12)


def _recipients(cell, recipients: list[str], *, space_before: int = 0) -> None:
    paragraph = _tight(cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.space_before = Pt(space_before)
    _run(paragraph, _("Nơi nhận:"), size=12, bold=True, italic=True)
    for line in recipients:
        _run(_tight(cell.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT), line, size=11)


def _signature_titles(cell, signature) -> None:
    """The agency (in a joint report) and the signing title, bold capitals."""
    lines = [signature.issuer] if signature.issuer else []
    for i, text in enumerate([*lines, *signature.position_lines]):
        paragraph = _tight(cell.paragraphs[0] if i == 0 else cell.add_paragraph())
        _run(paragraph, text, size=HEADER_PT, bold=True)


def _signature_name(cell, signature) -> None:
    """Room for the signature and seal, then the signer's name in bold."""
    empty = not cell.paragraphs[0].text
    for i in range(4):
        _tight(cell.paragraphs[0] if empty and i == 0 else cell.add_paragraph())
    _run(_tight(cell.add_paragraph()), signature.name, size=BODY_PT, bold=True)

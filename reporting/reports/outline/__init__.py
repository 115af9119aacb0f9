"""The report as a document: the snapshot's figures and the staff's narrative laid out as the
headings, paragraphs and tables of a sơ kết / tổng kết report (DOMAIN.md §5). The HTML page and
the .docx writer (`reporting.reports.word`) both render this one outline, so they always say the
same thing. Nothing here reads the database beyond the report and its signatories.

`elements`: the blocks and the `Document`; `layout`: `compose(report)`, the order of the
report; `sections`: the blocks of each part of the results; `compiled`: a national report's
part compiled from the provinces' reports (`rollup.py`)."""

from .elements import (
    Bullets,
    Document,
    HeaderAgency,
    Heading,
    Narrative,
    Paragraph,
    Signature,
    Table,
)
from .layout import compose

__all__ = [
    "Bullets",
    "Document",
    "HeaderAgency",
    "Heading",
    "Narrative",
    "Paragraph",
    "Signature",
    "Table",
    "compose",
]

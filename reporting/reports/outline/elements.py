"""What an outline is made of: the document's header, signatures and recipients, and its body as
a list of blocks (headings, paragraphs, bullets, tables, narrative sections). Plain frozen data:
the HTML template and the .docx writer render these and nothing else."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_PRINCIPLE = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    level: int  # 1: "I. TÌNH HÌNH …", 2: "1. …", 3: "a) …"
    text: str
    anchor: str = ""
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False
    kind: str = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    kind: str = "bullets"


class Link(str):
    """A table cell's text that links to a page (the HTML shows the link, the .docx the text)."""

    url: str

    def __new__(cls, text: str, url: str):
        link = super().__new__(cls, text)
        link.url = url
        return link


@dataclass(frozen=True)
class Table:
    """A numbered table: `numeric` columns are right-aligned; `widths` in centimetres add up to
    the text width (16.5 cm on A4 with the decree's margins)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: frozenset[int] = frozenset()
    footer: list[str] | None = None
    kind: str = "table"


@dataclass(frozen=True)
class Narrative:
    """A section written by staff; `key` is the Report field it comes from."""

    key: str
    label: str
    paragraphs: list[str]
    kind: str = "narrative"


@dataclass(frozen=True)
class HeaderAgency:
    parent: str
    name: str


@dataclass(frozen=True)
class Signature:
    issuer: str
    position_lines: list[str]
    name: str
    finalised: bool
    finalised_by: str
    finalised_at: datetime.datetime | None


@dataclass
class Document:
    agencies: list[HeaderAgency]
    number_line: str
    place_date: str
    doc_type: str
    subject: str
    draft_label: str
    blocks: list = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    appendix_note: str = ""
    motto_nation: str = MOTTO_NATION
    motto_principle: str = MOTTO_PRINCIPLE

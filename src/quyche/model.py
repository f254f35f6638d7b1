"""The composed, format-neutral document (design.md §3): blocks with roles from the layout grid.

Every decision is already made here — numbering, labels, prefixes, the date line, sizes, alignment,
rule-line lengths. Renderers only place what they are given, so a .docx and a PDF of one input say
the same thing in the same places. No import of docx or weasyprint may ever appear in this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size_pt: float | None = None  # None: the paragraph's size
    color: str | None = None  # "RRGGBB"; None: black (Phụ lục I, I.4). The urgency mark is red (III.2.b)


@dataclass
class Para:
    """A paragraph: its role in the layout grid, its runs, size, alignment, indents and spacing."""

    role: str
    runs: list[Run]
    size_pt: float
    align: Align = "left"
    first_indent_mm: float = 0.0
    left_indent_mm: float = 0.0
    space_before_pt: float = 0.0
    space_after_pt: float = 0.0
    line_spacing: float = 1.0
    keep_with_next: bool = False
    keep_together: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Rule:
    """A solid horizontal line of an exact length, centred in its container (never underscores)."""

    role: str
    length_mm: float
    weight_pt: float = 0.75
    space_before_pt: float = 0.0
    space_after_pt: float = 0.0


@dataclass
class Cell:
    """One cell of a layout table: its blocks and width."""

    blocks: list[Block]
    width_mm: float
    anchor: str | None = None  # an id for this cell's position (signature fields)
    span: int = 1  # grid columns this cell covers (the header's number/date row may divide at its own point)


@dataclass
class Row:
    """One row of a layout table."""

    cells: list[Cell]
    cant_split: bool = True


@dataclass
class Table:
    """A layout table (the header, the signature blocks) or a content table."""

    role: str
    rows: list[Row]
    widths_mm: list[float]
    indent_mm: float = 0.0  # negative: starts left of the margin (ND30-PL3 templates shift −3.5 mm)
    borders: bool = False
    header_rows: int = 0
    keep_with_next: bool = False  # every row stays with the next row and with the block after the table
    border_color: str = "000000"  # "RRGGBB" of the borders, when borders


Block = Para | Rule | Table


@dataclass
class PageSetup:
    """Paper size, margins and page numbering of a section."""

    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    header_mm: float
    page_number_size_pt: float
    page_number_first_page: bool = False  # NĐ 30/2020, Phụ lục I, I.7: page 1 shows no number
    mirror_back_page: bool = False  # duplex printing: back pages swap the left and right margins

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm


@dataclass
class Section:
    """A run of pages with its own page numbering (the main text; each appendix)."""

    blocks: list[Block]
    page: PageSetup
    restart_numbering: bool = False


@dataclass
class Signer:
    """One signer of the document: the id of its signature block, its body, name, authority and title lines."""

    id: str
    co_quan: str
    ho_ten: str
    lines: list[str]


@dataclass
class Metadata:
    """The identity of an outgoing document, as NĐ 30/2020, Phụ lục VI, Phần II ("chuẩn thông tin đầu vào")
    names it. Renderers embed it (docx custom properties, PDF XMP) and the output stage writes it beside
    the files (sidecar JSON); PageAmount is known only after layout and is added there."""

    code_number: str = ""  # CodeNumber: "12"
    code_notation: str = ""  # CodeNotation: "QC-UBND"
    issued_date: str = ""  # IssuedDate: ISO 8601 date
    organ_name: str = ""  # OrganName: the issuing (lead) body
    type_name: str = ""  # TypeName: "Quy chế"
    subject: str = ""  # Subject: the trích yếu
    language: str = "vi"  # Language
    signers: list[tuple[str, str]] = field(default_factory=list)  # SignerInfo: (Position, FullName)
    to: list[str] = field(default_factory=list)  # To: nơi nhận
    priority: str = ""  # Priority: độ khẩn ("" = thường)
    issued_amount: int | None = None  # IssuedAmount: số bản
    due_date: str = ""  # DueDate: hạn trả lời

    def fields(self) -> dict[str, object]:
        """The Phụ lục VI names → values (SignerInfo as a list of {Position, FullName})."""
        return {
            "CodeNumber": self.code_number,
            "CodeNotation": self.code_notation,
            "IssuedDate": self.issued_date,
            "OrganName": self.organ_name,
            "TypeName": self.type_name,
            "Subject": self.subject,
            "Language": self.language,
            "SignerInfo": [{"Position": pos, "FullName": name} for pos, name in self.signers],
            "To": list(self.to),
            "Priority": self.priority,
            "IssuedAmount": self.issued_amount,
            "DueDate": self.due_date,
        }


@dataclass
class Document:
    """The whole composed document: its sections, signers and metadata."""

    kind: str
    profile_id: str
    title: str  # "QUY CHẾ phối hợp …" for metadata
    so_ky_hieu: str
    sections: list[Section]
    signers: list[Signer] = field(default_factory=list)
    language: str = "vi-VN"
    font_family: str = "Times New Roman"
    meta: Metadata = field(default_factory=Metadata)

    def blocks(self) -> Iterator[Block]:
        for s in self.sections:
            yield from s.blocks

    def iter_paras(self) -> Iterator[Para]:
        def walk(blocks: list[Block]) -> Iterator[Para]:
            for b in blocks:
                if isinstance(b, Para):
                    yield b
                elif isinstance(b, Table):
                    for row in b.rows:
                        for cell in row.cells:
                            yield from walk(cell.blocks)

        for s in self.sections:
            yield from walk(s.blocks)

    def map_text(self, fn: Callable[[str], str]) -> None:
        for p in self.iter_paras():
            for r in p.runs:
                r.text = fn(r.text)

    def plain_text(self) -> list[str]:
        """The text of every paragraph in reading order (for comparing renderers)."""
        return [p.text for p in self.iter_paras() if p.text.strip()]

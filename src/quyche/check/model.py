"""What the checker reads from a document, format-neutral: lines of text with their effective formatting,
the page setup, and the findings. Readers (read_docx, read_pdf) fill it; roles, rules and fixes use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Line:
    """One paragraph of a .docx, or one line segment of a PDF page, with its effective formatting."""

    text: str
    index: int  # 1-based paragraph number (docx) or line number on its page (pdf)
    page: int | None = None  # pdf page (1-based); docx: None (Word decides the pages)
    zone: str = "body"  # "header" (first table / top of page 1), "table", "sign", "body"
    column: str = ""  # "left" | "right" inside the header
    table: int = 0  # 1-based number of the table holding this line (0: not in a table)
    sizes: tuple[float, ...] = ()  # size of every text run (pt)
    bold: bool | None = None  # True: every run; False: none; None: mixed
    italic: bool | None = None
    underline: bool | None = None
    fonts: dict[str, set[str]] = field(default_factory=dict)  # slot → font names used by text runs
    rule_mm: float | None = None  # a drawn line belonging to this line (border, shape), its length
    border_only: bool = False  # an empty paragraph that only draws a line
    avail_mm: float | None = None  # width of the container (cell or text width)
    x_mm: float | None = None  # pdf: left edge
    top_mm: float | None = None  # pdf: top edge
    segments: tuple[str, ...] = ()  # docx: the lines of a paragraph broken by hand (w:br), when it has breaks
    ref: Any = None  # the reader's handle (w:p element) for fixes
    role: str = ""

    @property
    def size(self) -> float | None:
        if not self.sizes:
            return None
        return max(set(self.sizes), key=self.sizes.count)

    @property
    def where(self) -> str:
        if self.page is not None:
            return f"trang {self.page}, dòng {self.index}"
        return f"đoạn {self.index}"


@dataclass
class PageSetup:
    width_mm: float
    height_mm: float
    margins_mm: dict[str, float] | None = None  # top, bottom, left, right (docx)
    number_on_first_page: bool | None = None
    # Pages 2+ (docx: the default header part; pdf: this page's top band): the number shown, where, in what form.
    number_later: bool | None = None  # None: not known (a docx without headers of its own, a one-page pdf)
    number_align: str | None = None  # "center" | "left" | "right" | "bottom" (in the footer / bottom band)
    number_format: str | None = None  # "decimal" | "roman" | … (docx pgNumType or the field's switch)
    ref: Any = None  # docx: w:sectPr
    text_box_mm: tuple[float, float] | None = None  # pdf: left and right edges of the body text


@dataclass
class Sheet:
    """A document as the checker sees it."""

    path: str
    fmt: str  # "docx" | "pdf"
    lines: list[Line]
    pages: list[PageSetup]
    fonts_not_embedded: list[str] = field(default_factory=list)  # pdf
    fonts_used: set[str] = field(default_factory=set)  # pdf: every font family name
    pdfa: str | None = None  # pdf: the PDF/A part and conformance the file claims ("2B")
    signature_fields: list[tuple[str, bool]] = field(default_factory=list)  # pdf: (field name, signed)
    pdf_facts: dict[str, Any] = field(default_factory=dict)  # pdf: output_intent, encrypted, xmp_mismatch
    package: Any = None  # docx: the parsed parts, for fixes
    styles: Any = None  # docx: the StyleSheet, for paragraph properties


@dataclass
class Finding:
    rule: str  # profile rule key ("sign.prefix", "sizes.body", …)
    severity: str  # "error" | "warning"
    message: str
    where: str = ""
    excerpt: str = ""
    citation: str = ""
    fix: str = ""  # non-empty: what --sua does about it
    line: Line | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_json(self) -> dict[str, Any]:
        page = self.line.page if self.line else None
        para = self.line.index if self.line and self.line.page is None else None
        return {
            "rule": self.rule,
            "severity": "loi" if self.is_error else "canh_bao",
            "message": self.message,
            "where": self.where,
            "page": page,
            "paragraph": para,
            "excerpt": self.excerpt,
            "citation": self.citation,
            "fixable": bool(self.fix),
        }

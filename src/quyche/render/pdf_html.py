"""The HTML and CSS that WeasyPrint lays out for one composed document (templates/pdf/*), and the resources
made once per process: the font lookup, WeasyPrint's FontConfiguration, the parsed static CSS, the template.

The same HTML serves the PDF and any HTML preview of a document; ``document_html`` is public."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup, escape

from ..model import Block, Document, PageSetup, Para, Rule, Run, Section, Table
from .pdf_fonts import FontSet, find_fonts

try:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("Xuất PDF cần WeasyPrint: cài bằng lệnh pip install 'quyche[pdf]'.") from exc

log = logging.getLogger("quyche")
_HEADED = frozenset({"phan", "chuong", "muc"})  # headings whose name follows on its own line (role + "_ten")

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "pdf"
_PRE = re.compile(r"\s\s|^\s|\s$|[\t\n]")  # whitespace HTML would collapse but the .docx keeps


# -- templates and cached resources ---------------------------------------------------------------------
def _num(value: float) -> str:
    """A CSS number: at most 3 decimals, no trailing zeros."""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


_GLUED = re.compile("\\S+(?:\u00a0\\S+)+")


def _glue(text: str) -> Markup:
    """Escaped text where words joined by no-break spaces are one unbreakable box: Pango honours a no-break
    space but still breaks after a hyphen beside one ("2024\u00a0-\u00a02026", compose/ngat_dong.py)."""
    safe = escape(text)
    if "\u00a0" not in text:
        return safe
    return Markup(_GLUED.sub(lambda m: f'<span class="nw">{m[0]}</span>', str(safe)))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every text of the model is escaped, in HTML and CSS templates alike
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["glue"] = _glue
    env.tests["para"] = lambda b: isinstance(b, Para)
    env.tests["rule"] = lambda b: isinstance(b, Rule)
    env.tests["table"] = lambda b: isinstance(b, Table)
    env.tests["preformatted"] = lambda text: bool(_PRE.search(text))
    return env


@dataclass
class _Resources:
    fonts: FontSet
    font_config: FontConfiguration
    stylesheet: CSS
    template: Template
    user_agent: CSS  # templates/pdf/ua.css, in place of WeasyPrint's HTML5 stylesheet


def stylesheet_text(fonts: FontSet, font_urls: list[str] | None = None) -> str:
    """The static stylesheet that goes with ``document_html``: the faces and document.css. ``font_urls``
    replaces the faces' file URIs (the editor's preview serves the same files over HTTP)."""
    css = environment().get_template("fonts.css.j2").render(faces=fonts.faces, family=fonts.family, urls=font_urls)
    return css + (TEMPLATES / "document.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _resources() -> _Resources:
    """Fonts, FontConfiguration, the parsed static CSS and the template: once per process."""
    fonts = find_fonts()
    env = environment()
    font_config = FontConfiguration()
    css = stylesheet_text(fonts)
    stylesheet = CSS(string=css, font_config=font_config, url_fetcher=URLFetcher(allowed_protocols=("file",)))
    log.debug("PDF: phông %s (%s)", fonts.family, ", ".join(str(f.path) for f in fonts.faces))
    user_agent = CSS(string=(TEMPLATES / "ua.css").read_text(encoding="utf-8"))
    return _Resources(fonts, font_config, stylesheet, env.get_template("document.html.j2"), user_agent)


# -- the HTML of one document ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _PageSection:
    name: str  # the named page: s1, s2, …
    section: Section
    restart: bool

    @property
    def page(self) -> PageSetup:
        return self.section.page


def _walk_tables(blocks: list[Block]) -> Iterator[Table]:
    for b in blocks:
        if isinstance(b, Table):
            yield b
            for row in b.rows:
                for cell in row.cells:
                    yield from _walk_tables(cell.blocks)


def _signer_cells(document: Document) -> dict[int, str]:
    """Which signer's block each table cell belongs to: the cell that carries the anchor, and the cells
    under it in the same column of that table (a joint signature table puts the titles in one row and
    the names, after the signing gap, in the next: compose/the_thuc.py signatures(), ô 7a/7b)."""
    owner: dict[int, str] = {}
    for section in document.sections:
        for table in _walk_tables(section.blocks):
            column_owner: dict[int, str] = {}
            for row in table.rows:
                for ci, cell in enumerate(row.cells):
                    if cell.anchor:
                        column_owner[ci] = cell.anchor
                    if ci in column_owner:
                        owner[id(cell)] = column_owner[ci]
    return owner


class _ParaStyles:
    """One CSS class per distinct paragraph format (as the .docx has one named style per role)."""

    def __init__(self, line_factor: float) -> None:
        self.line_factor = line_factor
        self.classes: dict[tuple, str] = {}
        self.rules: list[tuple[str, str]] = []

    @staticmethod
    def key(p: Para) -> tuple:
        return (
            p.size_pt,
            p.align,
            p.first_indent_mm,
            p.left_indent_mm,
            p.space_before_pt,
            p.space_after_pt,
            p.line_spacing,
        )

    def add(self, p: Para) -> None:
        key = self.key(p)
        if key in self.classes:
            return
        name = f"f{len(self.classes) + 1}"
        self.classes[key] = name
        # Word's line: (ascender + descender + line gap) × size × multiple (ND30-PL1 §II.6.e: single–1.5)
        line = self.line_factor * p.line_spacing
        css = "; ".join(
            (
                f"font-size: {_num(p.size_pt)}pt",
                f"text-align: {p.align}",
                f"text-indent: {_num(p.first_indent_mm)}mm",
                f"margin-left: {_num(p.left_indent_mm)}mm",
                f"margin-top: {_num(p.space_before_pt)}pt",
                f"margin-bottom: {_num(p.space_after_pt)}pt",
                f"line-height: {_num(line)}",
                f"min-height: {_num(p.size_pt * line)}pt",  # an empty paragraph still takes one line
            )
        )
        if p.line_spacing > 1:
            # CSS splits the extra leading of 1.15 or 1.5 lines above and below the text; the .docx (as
            # LibreOffice lays it out) puts it all below. Drawn that much higher; the layout is unchanged.
            css += f"; top: -{_num((line - self.line_factor) * p.size_pt / 2)}pt"
        self.rules.append((name, css))

    def __call__(self, p: Para) -> str:
        return self.classes[self.key(p)]


_HEX = re.compile(r"[0-9A-Fa-f]{6}")


def _border_colour(table: Table) -> str | None:
    """A bordered table's border colour when not black (the urgency mark's red frame), else None."""
    colour = table.border_color
    return colour if table.borders and _HEX.fullmatch(colour) and colour != "000000" else None


def _run_class(run: Run) -> str:
    return " ".join(c for c, on in (("b", run.bold), ("i", run.italic), ("u", run.underline)) if on) or "r"


def document_html(document: Document) -> str:
    """The HTML that WeasyPrint lays out (public for debugging: ``print(document_html(doc))``)."""
    res = _resources()
    styles = _ParaStyles(res.fonts.line_factor)
    for p in document.iter_paras():
        styles.add(p)
    owners = _signer_cells(document)
    sections = [_PageSection(f"s{i}", s, bool(s.restart_numbering)) for i, s in enumerate(document.sections, start=1)]
    return res.template.render(
        document=document,
        sections=sections,
        para_styles=styles.rules,
        para_class=styles,
        run_class=_run_class,
        colour=_border_colour,
        signer_of=lambda cell: owners.get(id(cell)),
        line_factor=styles.line_factor,
        font_family=res.fonts.family,
        title=" ".join(x for x in (document.meta.type_name, document.meta.subject) if x) or document.title,
        headed=_HEADED,
    )

"""PDF renderer: the composed model → Jinja2 HTML + CSS → WeasyPrint → PDF/A-2b (design.md §4).

The .docx renderer (render/docx.py) is the reference; this one places the same blocks with the same
geometry, so the two files of one input say the same thing in the same places:

- A4 and the profile's margins on a named page per Section; each Section after the first starts a new
  page; an appendix restarts its numbering at 1 (NĐ 30/2020, Phụ lục I, I.1, I.3; III.1.đ).
- Page numbers centred in the top margin, ``header_mm`` from the edge, hidden on the first page of
  each Section (Phụ lục I, I.7) — ``@page :nth(1 of sN)``.
- Rule lines are CSS borders exactly ``length_mm`` long, centred in their container (the-thuc §6
  item 6): never underscores.
- Tables keep their column widths in mm, Word's 1.9 mm cell margins and the header table's negative
  indent (ND30-PL3 templates, the-thuc §1.4).
- One Times-New-Roman-metric face with full Vietnamese coverage (Liberation Serif), embedded; if none is
  found the renderer stops with a message saying what to install, never with tofu boxes (§6 item 2).
- One empty signature field (AcroForm /Sig) per signer, placed over that signer's block, so that the
  file can be signed digitally where the ink signature would go (ô 7c, Phụ lục I, II.7).

The font lookup, the parsed static CSS and WeasyPrint's FontConfiguration are made once per process
and reused: a batch renders many documents.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from ..model import Block, Document, PageSetup, Para, Rule, Run, Section, Signer, Table

try:
    import pydyf  # WeasyPrint's PDF writer
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("Xuất PDF cần WeasyPrint: cài bằng lệnh pip install 'quyche[pdf]'.") from exc

from . import RenderError

log = logging.getLogger("quyche")

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "pdf"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF user space is in pt (1/72 in)
DEFAULT_VARIANT = "pdf/a-2b"
_PRE = re.compile(r"\s\s|^\s|\s$|[\t\n]")  # whitespace HTML would collapse but the .docx keeps

# Every lower- and upper-case Vietnamese letter: a face must cover all of them (TCVN 6909:2001).
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE = (
    "".join(unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" for tone in _TONES) + "đĐ"
)


class FontNotFoundError(RenderError):
    """No Times-New-Roman-metric face with Vietnamese letters is installed."""


FONT_MISSING_MESSAGE = (
    "Không tìm thấy phông chữ để xuất PDF: cần Liberation Serif (cùng số đo với Times New Roman, đủ dấu "
    "tiếng Việt) hoặc Times New Roman, đủ bốn kiểu thường, đậm, nghiêng, đậm nghiêng. "
    "Cài bằng lệnh: sudo apt-get install fonts-liberation2 (Debian/Ubuntu; hoặc chạy scripts/install-system.sh), "
    "dnf install liberation-serif-fonts (Fedora), rồi chạy lại. "
    "PDF không được tạo với phông thay thế để tránh chữ lỗi ô vuông."
)


# -- fonts ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FontFace:
    path: Path
    weight: str  # CSS font-weight: "normal" | "bold"
    style: str  # CSS font-style: "normal" | "italic"

    @property
    def uri(self) -> str:
        return self.path.resolve().as_uri()


@dataclass(frozen=True)
class FontSet:
    family: str
    faces: tuple[FontFace, ...]
    line_factor: float  # one "single" line as a multiple of the size: (ascender + descender + gap) / em


# (weight, style, bold?, italic?) in the order regular, bold, italic, bold italic
_STYLES = (
    ("normal", "normal", False, False),
    ("bold", "normal", True, False),
    ("normal", "italic", False, True),
    ("bold", "italic", True, True),
)
FAMILIES = ("Liberation Serif", "Times New Roman", "Tinos")
_HOME = Path.home()
_KNOWN: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    # family: (folders, file names per style in _STYLES order, several spellings)
    "Liberation Serif": (
        (
            "/usr/share/fonts/truetype/liberation2",
            "/usr/share/fonts/truetype/liberation",
            "/usr/share/fonts/liberation-serif",
            "/usr/share/fonts/liberation",
            "/usr/share/fonts/TTF",
            "/usr/local/share/fonts",
            str(_HOME / ".local/share/fonts"),
            str(_HOME / ".fonts"),
            "/opt/homebrew/share/fonts",
            "C:/Windows/Fonts",
        ),
        (
            (
                "LiberationSerif-Regular.ttf",
                "LiberationSerif-Bold.ttf",
                "LiberationSerif-Italic.ttf",
                "LiberationSerif-BoldItalic.ttf",
            ),
        ),
    ),
    "Times New Roman": (
        (
            "/usr/share/fonts/truetype/msttcorefonts",
            "/usr/share/fonts/msttcore",
            "C:/Windows/Fonts",
            "/Library/Fonts",
            "/System/Library/Fonts/Supplemental",
            str(_HOME / "Library/Fonts"),
        ),
        (
            ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
            (
                "Times_New_Roman.ttf",
                "Times_New_Roman_Bold.ttf",
                "Times_New_Roman_Italic.ttf",
                "Times_New_Roman_Bold_Italic.ttf",
            ),
            (
                "Times New Roman.ttf",
                "Times New Roman Bold.ttf",
                "Times New Roman Italic.ttf",
                "Times New Roman Bold Italic.ttf",
            ),
        ),
    ),
    "Tinos": (
        ("/usr/share/fonts/truetype/croscore", "/usr/share/fonts/google-croscore", "/usr/local/share/fonts"),
        (("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf"),),
    ),
}


def _face_info(path: Path) -> tuple[set[str], bool, bool, bool, float] | None:
    """Family names, bold, italic, Vietnamese coverage and the single-line factor of a font file."""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            names = set()
            for rec in font["name"].names:
                if rec.nameID in (1, 16):  # family, typographic family
                    try:
                        names.add(rec.toUnicode().casefold())
                    except UnicodeDecodeError:
                        continue
            mac_style = font["head"].macStyle
            cmap = font.getBestCmap() or {}
            covers = all(ord(ch) in cmap for ch in VIETNAMESE)
            hhea, em = font["hhea"], font["head"].unitsPerEm
            factor = (hhea.ascent - hhea.descent + hhea.lineGap) / em
    except Exception:  # an unreadable or foreign file is simply not a candidate
        return None
    return names, bool(mac_style & 1), bool(mac_style & 2), covers, factor


def _fc_match(family: str, bold: bool, italic: bool) -> Path | None:
    """The file fontconfig picks for ``family`` in one style (it may substitute: checked by the caller)."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    pattern = f"{family}:weight={'bold' if bold else 'regular'}:slant={'italic' if italic else 'roman'}"
    try:
        out = subprocess.run([exe, "--format=%{file}", pattern], capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def _known_paths(family: str, index: int) -> Iterator[Path]:
    folders, spellings = _KNOWN.get(family, ((), ()))
    for folder in folders:
        for names in spellings:
            yield Path(folder) / names[index]


def _locate_face(family: str, index: int) -> tuple[Path, float] | None:
    """One style of ``family`` (through fontconfig, then known folders), checked to really be that
    family and style and to cover every Vietnamese letter. Returns the file and its line factor."""
    _, _, bold, italic = _STYLES[index]
    candidates = [_fc_match(family, bold, italic), *_known_paths(family, index)]
    for path in candidates:
        if path is None or not path.is_file():
            continue
        info = _face_info(path)
        if info is None:
            continue
        names, is_bold, is_italic, covers, factor = info
        if family.casefold() in names and (is_bold, is_italic) == (bold, italic) and covers:
            return path, factor
    return None


def find_fonts() -> FontSet:
    """The first of FAMILIES installed in all four styles with every Vietnamese letter."""
    for family in FAMILIES:
        found = [_locate_face(family, i) for i in range(len(_STYLES))]
        located = [f for f in found if f is not None]
        if len(located) < len(_STYLES):
            continue
        faces = tuple(FontFace(path, s[0], s[1]) for (path, _), s in zip(located, _STYLES, strict=True))
        return FontSet(family, faces, round(located[0][1], 4))
    raise FontNotFoundError(FONT_MISSING_MESSAGE)


# -- templates and cached resources ---------------------------------------------------------------------
def _num(value: float) -> str:
    """A CSS number: at most 3 decimals, no trailing zeros."""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every text of the model is escaped, in HTML and CSS templates alike
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
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
    return _Resources(fonts, font_config, stylesheet, env.get_template("document.html.j2"))


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
        signer_of=lambda cell: owners.get(id(cell)),
        line_factor=styles.line_factor,
        font_family=res.fonts.family,
    )


# -- signature fields ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignatureBox:
    signer: Signer
    field_name: str
    page_index: int  # 0-based
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in pt from the page's bottom-left corner


def ascii_fold(text: str) -> str:
    """ "Nguyễn Văn Yên" → "nguyen-van-yen" (PDF field names: no dots, plain ASCII)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def field_name(signer: Signer) -> str:
    return "-".join(x for x in (ascii_fold(signer.id), ascii_fold(signer.ho_ten)) if x) or "chu-ky"


def signature_boxes(rendered, document: Document) -> list[SignatureBox]:
    """Where each signer's block landed: the union of its cells' border boxes on the first page that
    shows it, from WeasyPrint's laid-out boxes (``page._page_box``), in PDF points."""
    signers = {s.id: s for s in document.signers}
    found: dict[str, tuple[int, list[float]]] = {}
    for index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not hasattr(element, "get"):
                continue
            owner = element.get("data-ky")
            if owner not in signers or (owner in found and found[owner][0] != index):
                continue
            x, y = box.border_box_x(), box.border_box_y()
            x2, y2 = x + box.border_width(), y + box.border_height()
            if owner in found:
                r = found[owner][1]
                r[:] = [min(r[0], x), min(r[1], y), max(r[2], x2), max(r[3], y2)]
            else:
                found[owner] = (index, [x, y, x2, y2])
    out: list[SignatureBox] = []
    used: set[str] = set()
    for signer in document.signers:
        if signer.id not in found:
            log.warning("PDF: không tìm thấy khối chữ ký %s trên trang; bỏ qua ô ký số.", signer.id)
            continue
        index, (x1, y1, x2, y2) = found[signer.id]
        height = rendered.pages[index].height
        name = base = field_name(signer)
        n = 2
        while name in used:  # field names must be unique in the AcroForm
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        # CSS px from the top-left → PDF pt from the bottom-left
        left, bottom, right, top = (round(v * PX_TO_PT, 2) for v in (x1, height - y2, x2, height - y1))
        out.append(SignatureBox(signer, name, index, (left, bottom, right, top)))
    return out


def signature_fields(boxes: list[SignatureBox]):
    """A WeasyPrint finisher adding one empty signature field per signer to the PDF being written
    (ISO 32000-1, 12.7.4.5): a merged field/widget annotation /FT /Sig, named, over the signer's block,
    printable and with an (empty) normal appearance as PDF/A-2 requires of visible annotations
    (ISO 19005-2, 6.3.2–6.3.3). Written with the file itself: no second pass over the PDF."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        if not boxes:
            return
        if "AcroForm" not in pdf.catalog:
            pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": pydyf.Array()})
        fields = pdf.catalog["AcroForm"]["Fields"]
        kids = pdf.pages["Kids"][::3]  # [number, 0, "R", …]
        for b in boxes:
            page = pdf.objects[kids[b.page_index]]
            left, bottom, right, top = b.box
            appearance = pydyf.Stream(
                extra={
                    "Type": "/XObject",
                    "Subtype": "/Form",
                    "BBox": pydyf.Array((0, 0, round(right - left, 2), round(top - bottom, 2))),
                    "Resources": pydyf.Dictionary(),
                }
            )
            pdf.add_object(appearance)
            widget = pydyf.Dictionary(
                {
                    "Type": "/Annot",
                    "Subtype": "/Widget",
                    "FT": "/Sig",
                    "T": pydyf.String(b.field_name),
                    "TU": pydyf.String(f"Chữ ký số: {b.signer.ho_ten}"),
                    "Rect": pydyf.Array(b.box),
                    "P": page.reference,
                    "F": 1 << (3 - 1),  # Print (PDF/A-2, 6.3.2)
                    "AP": pydyf.Dictionary({"N": appearance.reference}),
                }
            )
            pdf.add_object(widget)
            if "Annots" not in page:
                page["Annots"] = pydyf.Array()
            page["Annots"].append(widget.reference)
            fields.append(widget.reference)

    return finish


# -- renderer --------------------------------------------------------------------------------------------
_NO_FETCH = URLFetcher(allowed_protocols=())  # the HTML refers to nothing outside itself


class PdfRenderer:
    extension = "pdf"

    def __init__(self, signature_fields: bool = True, pdf_variant: str | None = DEFAULT_VARIANT) -> None:
        self.signature_fields = signature_fields
        self.pdf_variant = pdf_variant

    def render(self, document: Document) -> bytes:
        res = _resources()
        html = HTML(string=document_html(document), url_fetcher=_NO_FETCH)
        rendered = html.render(stylesheets=[res.stylesheet], font_config=res.font_config, pdf_variant=self.pdf_variant)
        boxes = signature_boxes(rendered, document) if self.signature_fields else []
        return rendered.write_pdf(pdf_variant=self.pdf_variant, finisher=signature_fields(boxes))

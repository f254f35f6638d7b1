"""Read a .docx into the checker's lines: every paragraph in reading order (header table first, tables,
body), the effective formatting of its text runs, the drawn lines (paragraph borders, DrawingML/VML line
shapes) with their length, and each section's page setup and page-number headers."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from . import limits
from .model import Line, PageSetup, Sheet
from .numbering import Numbering
from .package import CheckInputError, Package, open_package, w
from .styles import StyleSheet, attr_int

TW_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000
DEFAULT_CELL_PAD_TW = 108
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_V = "urn:schemas-microsoft-com:vml"
_PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")
_RUN_PATHS = ("r", "hyperlink/w:r", "ins/w:r", "smartTag/w:r", "fldSimple/w:r", "sdt/w:sdtContent/w:r")
_RUNS = etree.XPath(
    "|".join(f"w:{x}" for x in _RUN_PATHS),
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)


def read_docx(path: Path) -> Sheet:
    pkg = open_package(path)
    return read_package(pkg, str(path))


def read_package(pkg: Package, name: str) -> Sheet:
    styles = StyleSheet(pkg)
    doc = pkg.part(pkg.main)
    body = doc.find(w("body")) if doc is not None else None
    if body is None:
        raise CheckInputError("docx-hong", "văn bản không có phần thân (w:body)")
    reader = _Reader(pkg, styles)
    sections = [s for s in body.iter(w("sectPr"))]
    text_w = _text_width(sections[0]) if sections else 165.0
    reader.walk(body, "body", "", text_w)
    pages = [_page(pkg, s, styles) for s in sections]
    return Sheet(name, "docx", reader.lines, pages, package=pkg, styles=styles)


def _text_width(sect: etree._Element) -> float:
    sz, mar = sect.find(w("pgSz")), sect.find(w("pgMar"))
    width = attr_int(sz, "w", 11906)
    return (width - attr_int(mar, "left", 1701) - attr_int(mar, "right", 1134)) / TW_PER_MM


def _page(pkg: Package, sect: etree._Element, styles: StyleSheet) -> PageSetup:
    sz, mar = sect.find(w("pgSz")), sect.find(w("pgMar"))
    margins = None
    if mar is not None:
        margins = {k: attr_int(mar, k) / TW_PER_MM for k in ("top", "bottom", "left", "right")}
    title = sect.find(w("titlePg"))
    title_pg = title is not None and title.get(w("val"), "true") not in ("0", "false")
    refs = {h.get(w("type"), "default"): h.get(f"{{{_R}}}id") for h in sect.findall(w("headerReference"))}
    want = "first" if title_pg else "default"
    shown: bool | None = None
    rid = refs.get(want)
    if rid is not None:
        target = pkg.relations(pkg.main).get(rid, ("", ""))[1]
        part = pkg.part(target) if target else None
        shown = part is not None and _has_page_field(part)
    elif title_pg:
        shown = False  # a first page of its own without a header of its own: nothing printed
    setup = PageSetup(attr_int(sz, "w", 0) / TW_PER_MM, attr_int(sz, "h", 0) / TW_PER_MM, margins, shown, sect)
    _later_pages(pkg, sect, refs, setup, styles)
    return setup


def _later_pages(
    pkg: Package, sect: etree._Element, refs: dict[str, str | None], setup: PageSetup, styles: StyleSheet
) -> None:
    """The number of pages 2+: the default header (or footer) holding a PAGE field, its paragraph's alignment,
    and its numeral form (``w:pgNumType/@w:fmt``, or a ``\\* roman`` switch in the field)."""
    footers = {f.get(w("type"), "default"): f.get(f"{{{_R}}}id") for f in sect.findall(w("footerReference"))}
    num_type = sect.find(w("pgNumType"))
    fmt = num_type.get(w("fmt"), "decimal") if num_type is not None else "decimal"
    setup.number_later = False
    for where, rid in (("top", refs.get("default")), ("bottom", footers.get("default"))):
        target = pkg.relations(pkg.main).get(rid, ("", ""))[1] if rid else ""
        part = pkg.part(target) if target else None
        para = _page_field_paragraph(part) if part is not None else None
        if para is None:
            continue
        p, instr = para
        jc = p.find(f"{w('pPr')}/{w('jc')}")
        if jc is None:
            jc = styles.para_prop(p, "jc")
        align = jc.get(w("val"), "left") if jc is not None else "left"
        align = {"both": "left", "start": "left", "end": "right"}.get(align, align)
        if "ROMAN" in instr:
            fmt = "roman"
        setup.number_later, setup.number_format = True, fmt
        setup.number_align = align if where == "top" else "bottom"
        return


def _page_field_paragraph(part: etree._Element) -> tuple[etree._Element, str] | None:
    for el in part.iter(w("instrText"), w("fldSimple")):
        instr = (el.text or "") if el.tag == w("instrText") else el.get(w("instr"), "")
        if _PAGE_FIELD.search(instr.upper()):
            p = next((a for a in el.iterancestors(w("p"))), None)
            if p is not None:
                return p, instr.upper()
    return None


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _has_page_field(part: etree._Element) -> bool:
    for el in part.iter(w("instrText")):
        if _PAGE_FIELD.search((el.text or "").upper()):
            return True
    return any(_PAGE_FIELD.search(f.get(w("instr"), "").upper()) for f in part.iter(w("fldSimple")))


class _Reader:
    def __init__(self, pkg: Package, styles: StyleSheet) -> None:
        self.pkg = pkg
        self.styles = styles
        self.lines: list[Line] = []
        self.count = 0
        self.header_done = False
        self.seen_text = False
        self.tables = 0
        self.table_no = 0
        self.max_paragraphs = limits.MAX_PARAGRAPHS
        self.numbering = Numbering.read(pkg, styles)

    def walk(self, parent: etree._Element, zone: str, column: str, avail: float) -> None:
        for child in parent:
            tag = child.tag
            if tag == _P:
                self.paragraph(child, zone, column, avail)
            elif tag == _TBL:
                self.table(child, zone)
            elif tag in _WRAPPERS:
                content = child.find(_SDT_CONTENT)
                self.walk(content if content is not None else child, zone, column, avail)

    def table(self, tbl: etree._Element, outer: str) -> None:
        # The first table before any text is the header (ô 1–4), as in the NĐ 30 templates.
        zone = "table" if outer == "body" else outer
        if outer == "body" and not self.header_done and not self.seen_text:
            zone = "header"
        self.header_done = True
        self.tables += 1
        number = self.tables
        grid = [attr_int(g, "w") for g in tbl.iter(w("gridCol"))]
        pad = _cell_margins(tbl.find(w("tblPr")))
        for tr in tbl.findall(w("tr")):
            col = 0
            cells = tr.findall(w("tc"))
            for i, tc in enumerate(cells):
                tcpr = tc.find(w("tcPr"))
                span = attr_int(tcpr.find(w("gridSpan")) if tcpr is not None else None, "val", 1)
                width_tw = sum(grid[col : col + span]) if col + span <= len(grid) and grid else 0
                if not width_tw and tcpr is not None:
                    width_tw = attr_int(tcpr.find(w("tcW")), "w")
                own = _cell_margins(tcpr, pad) if tcpr is not None else pad
                avail = max(width_tw - own, 0) / TW_PER_MM
                column = "left" if i == 0 and len(cells) > 1 else "right" if len(cells) > 1 else ""
                self.table_no = number
                self.walk(tc, zone, column, avail)
                col += span
        self.table_no = 0

    def paragraph(self, p: etree._Element, zone: str, column: str, avail: float) -> None:
        self.count += 1
        if self.count > self.max_paragraphs:
            raise CheckInputError("docx-qua-lon", f"văn bản có hơn {self.max_paragraphs} đoạn")
        style = self.styles.para_style(p)
        texts: list[str] = []
        sizes: list[float] = []
        flags: dict[str, set[bool]] = {"bold": set(), "italic": set(), "underline": set()}
        fonts: dict[str, set[str]] = {}
        for r in _RUNS(p):
            text = "".join(_run_text(r))
            if not text:
                continue
            texts.append(text)
            if not text.strip():
                continue
            props = self.styles.run_props(style, r)
            sizes.append(props.size)
            flags["bold"].add(props.bold)
            flags["italic"].add(props.italic)
            flags["underline"].add(props.underline)
            for slot, name in props.fonts.items():
                fonts.setdefault(slot, set()).add(name)
        label = self.numbering.label(p, style)  # Word's automatic numbering, as printed (check/numbering.py)
        if label and "".join(texts).strip():
            texts.insert(0, label + " ")
        text = "".join(texts)
        segments: tuple[str, ...] = ()
        if "\n" in text:
            segments = tuple(x.strip() for x in text.split("\n") if x.strip())
            text = text.replace("\n", " ")
        rule = self.rule_length(p, avail)
        if not text.strip() and rule is None:
            return
        if text.strip() and zone == "body":
            self.seen_text = True

        def one(values: set[bool]) -> bool | None:
            return next(iter(values)) if len(values) == 1 else None if values else False

        self.lines.append(
            Line(
                text=text.strip(),
                index=self.count,
                zone=zone,
                column=column,
                table=self.table_no if zone != "body" else 0,
                sizes=tuple(sizes),
                bold=one(flags["bold"]),
                italic=one(flags["italic"]),
                underline=one(flags["underline"]),
                fonts=fonts,
                rule_mm=rule,
                border_only=not text.strip(),
                segments=segments,
                avail_mm=avail,
                ref=p,
            )
        )

    def rule_length(self, p: etree._Element, avail: float) -> float | None:
        """A line drawn by this paragraph: a top/bottom border (its length is the paragraph's width between
        its indents), or a DrawingML/VML line shape (its own length)."""
        bdr = self.styles.para_prop(p, "pBdr")
        if bdr is not None and any(
            (e := bdr.find(w(side))) is not None and e.get(w("val"), "nil") not in ("nil", "none")
            for side in ("top", "bottom")
        ):
            ind = self.styles.para_prop(p, "ind")
            left = max(attr_int(ind, "left", attr_int(ind, "start")), 0) if ind is not None else 0
            right = max(attr_int(ind, "right", attr_int(ind, "end")), 0) if ind is not None else 0
            return round(avail - (left + right) / TW_PER_MM, 1)
        for ext in p.iter(f"{{{_WP}}}extent"):
            geom = ext.getparent().find(f".//{{{_A}}}prstGeom")
            cy = int(ext.get("cy", "0") or 0)
            if (geom is not None and geom.get("prst") in ("line", "straightConnector1")) or cy < EMU_PER_MM / 2:
                return round(int(ext.get("cx", "0") or 0) / EMU_PER_MM, 1)
        for line in p.iter(f"{{{_V}}}line"):
            try:
                x1 = float(line.get("from", "0,0").split(",")[0].rstrip("ptin"))
                x2 = float(line.get("to", "0,0").split(",")[0].rstrip("ptin"))
            except ValueError:
                continue
            return round(abs(x2 - x1) * 25.4 / 72, 1)
        return None


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_T, _TAB, _BREAKS, _NBH = w("t"), w("tab"), (w("br"), w("cr")), w("noBreakHyphen")
_P, _TBL, _WRAPPERS, _SDT_CONTENT = w("p"), w("tbl"), (w("sdt"), w("customXml")), w("sdtContent")


def _run_text(r: etree._Element):
    for el in r:
        tag = el.tag
        if tag == _T:
            yield el.text or ""
        elif tag == _TAB:
            yield "\t"
        elif tag in _BREAKS:
            yield "\n"  # a line break of its own: the paragraph's lines (a title broken by hand) are kept
        elif tag == _NBH:
            yield "-"


def _cell_margins(pr: etree._Element | None, default: int = 2 * DEFAULT_CELL_PAD_TW) -> int:
    if pr is None:
        return default
    mar = pr.find(w("tblCellMar")) if pr.tag == w("tblPr") else pr.find(w("tcMar"))
    if mar is None:
        return default
    left = mar.find(w("left")) if mar.find(w("left")) is not None else mar.find(w("start"))
    right = mar.find(w("right")) if mar.find(w("right")) is not None else mar.find(w("end"))
    return attr_int(left, "w", default // 2) + attr_int(right, "w", default // 2)

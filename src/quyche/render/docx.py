"""DOCX renderer (python-docx + a little OOXML where python-docx has no API).

- Named paragraph styles per role ("QC dieu", "QC quoc_hieu", …) carry the formatting, so Word's
  style pane shows the structure; paragraphs only get direct formatting where they differ from it.
  With a user template (``template=``) whose styles exist, the template's styles win (restyle in Word).
- Times New Roman on every run (ascii, hAnsi, cs, eastAsia), lang vi-VN, black (the-thuc §6 item 2).
- Rule lines are paragraph borders whose indents make them exactly ``length_mm`` long, centred: never
  underscores, never underline formatting (the-thuc §6 item 6).
- Page numbers in the header, centred, hidden on page 1 of each section (w:titlePg, ND30-PL1 §I.7).
"""

from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from docx import Document as load_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..model import Block, Cell, Document, PageSetup, Para, Rule, Run, Section, Table

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
CELL_PAD_MM = 1.9
FONT = "Times New Roman"
BASE_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "base.docx"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@dataclass
class _StyleProps:
    size: float | None
    bold: bool
    italic: bool
    underline: bool
    align: str | None
    first: float
    left: float
    before: float
    after: float
    line: float


class DocxRenderer:
    extension = "docx"

    def __init__(self, template: str | Path | None = None) -> None:
        self.template = Path(template) if template else None

    # -- entry point ---------------------------------------------------------------------------------
    def render(self, document: Document) -> bytes:
        source = self.template or (BASE_TEMPLATE if BASE_TEMPLATE.is_file() else None)
        docx = load_docx(str(source)) if source else load_docx()
        self.docx = docx
        self.styles: dict[str, _StyleProps] = {}
        body = docx.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self._defaults(document)
        for i, section in enumerate(document.sections):
            sect = docx.sections[0] if i == 0 else docx.add_section(WD_SECTION.NEW_PAGE)
            self._page(sect, section.page, section)
            for block in section.blocks:
                self._block(block, body_container=docx, avail_mm=section.page.text_width_mm)
        props = docx.core_properties
        props.title = document.title[:250]
        props.subject = document.so_ky_hieu
        props.language = document.language
        props.author = "quyche"
        props.comments = f"Thể thức: {document.profile_id}"
        out = io.BytesIO()
        docx.save(out)
        return out.getvalue()

    # -- document defaults and page -----------------------------------------------------------------
    def _defaults(self, document: Document) -> None:
        styles = self.docx.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        _set_fonts(normal.element.get_or_add_rPr(), document.language)
        pf = normal.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        doc_defaults = self.docx.styles.element.find(qn("w:docDefaults"))
        if doc_defaults is not None:
            rpr = doc_defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _set_fonts(rpr, document.language)

    def _page(self, sect, page: PageSetup, section: Section) -> None:
        sect.page_width, sect.page_height = Mm(page.width_mm), Mm(page.height_mm)
        sect.top_margin, sect.bottom_margin = Mm(page.margin_top_mm), Mm(page.margin_bottom_mm)
        sect.left_margin, sect.right_margin = Mm(page.margin_left_mm), Mm(page.margin_right_mm)
        sect.header_distance = Mm(page.header_mm)
        sect.footer_distance = Mm(page.header_mm)
        sect.different_first_page_header_footer = not page.page_number_first_page
        sectPr = sect._sectPr
        pg = sectPr.find(qn("w:pgNumType"))
        if section.restart_numbering:
            if pg is None:
                pg = OxmlElement("w:pgNumType")
                sectPr.append(pg)
            pg.set(qn("w:start"), "1")
        if not sect.header.is_linked_to_previous or len(self.docx.sections) == 1:
            header = sect.header
            header.is_linked_to_previous = False
            p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            for r in list(p.runs):
                r._r.getparent().remove(r._r)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.style = self._style("so_trang", Para("so_trang", [], page.page_number_size_pt, align="center"))
            _page_field(p, page.page_number_size_pt)
            first = sect.first_page_header
            first.is_linked_to_previous = False
            if not first.paragraphs:
                first.add_paragraph()

    # -- blocks --------------------------------------------------------------------------------------
    def _block(self, block: Block, body_container, avail_mm: float) -> None:
        if isinstance(block, Para):
            self._para(body_container.add_paragraph(), block)
        elif isinstance(block, Rule):
            self._rule(body_container.add_paragraph(), block, avail_mm)
        elif isinstance(block, Table):
            body = body_container.element.body
            last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
            if last.tag == qn("w:tbl"):  # adjacent tables merge in Word and LibreOffice: separate them
                spacer = body_container.add_paragraph()
                spacer.style = self._style("ngan_bang", Para("ngan_bang", [], 1.0))
                spacer.paragraph_format.keep_with_next = True
            self._table(body_container, block)

    def _para(self, p, para: Para) -> None:
        style = self._style(para.role, para)
        p.style = style
        props = self.styles[para.role]
        pf = p.paragraph_format
        if para.align != props.align:
            pf.alignment = _ALIGN[para.align]
        if para.first_indent_mm != props.first:
            pf.first_line_indent = Mm(para.first_indent_mm)
        if para.left_indent_mm != props.left:
            pf.left_indent = Mm(para.left_indent_mm)
        if para.space_before_pt != props.before:
            pf.space_before = Pt(para.space_before_pt)
        if para.space_after_pt != props.after:
            pf.space_after = Pt(para.space_after_pt)
        if para.line_spacing != props.line:
            pf.line_spacing = para.line_spacing
        if para.keep_with_next:
            pf.keep_with_next = True
        if para.keep_together:
            pf.keep_together = True
        for run in para.runs:
            self._run(p, run, para, props)

    def _run(self, p, run: Run, para: Para, props: _StyleProps) -> None:
        r = p.add_run(run.text)
        rpr = r._r.get_or_add_rPr()
        _set_fonts(rpr, "vi-VN")
        if run.bold != props.bold:
            r.bold = run.bold
        if run.italic != props.italic:
            r.italic = run.italic
        if run.underline != props.underline:
            r.underline = run.underline
        size = run.size_pt or para.size_pt
        if size != props.size:
            r.font.size = Pt(size)

    def _rule(self, p, rule: Rule, avail_mm: float) -> None:
        """A top border on a 1-pt paragraph, indented so the border is exactly ``length_mm`` long."""
        style = self._style("duong_ke", Para("duong_ke", [], 1.0))
        p.style = style
        side = max((avail_mm - rule.length_mm) / 2, 0)
        pf = p.paragraph_format
        pf.left_indent = Mm(side)
        pf.right_indent = Mm(side)
        pf.space_before = Pt(rule.space_before_pt)
        pf.space_after = Pt(rule.space_after_pt)
        pPr = p._p.get_or_add_pPr()
        spacing = pPr.find(qn("w:spacing"))
        if spacing is None:
            spacing = OxmlElement("w:spacing")
            pPr.append(spacing)
        spacing.set(qn("w:line"), "20")
        spacing.set(qn("w:lineRule"), "exact")
        borders = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        top.set(qn("w:val"), "single")
        top.set(qn("w:sz"), str(max(2, round(rule.weight_pt * 8))))
        top.set(qn("w:space"), "0")
        top.set(qn("w:color"), "000000")
        borders.append(top)
        _insert_pPr_child(pPr, borders)
        r = p.add_run("")
        r.font.size = Pt(1)
        _set_fonts(r._r.get_or_add_rPr(), "vi-VN")

    def _table(self, container, table: Table) -> None:
        n_cols = max(len(r.cells) for r in table.rows)
        t = container.add_table(rows=len(table.rows), cols=n_cols)
        t.autofit = False
        tbl = t._tbl
        tblPr = tbl.tblPr
        _set_child(tblPr, "w:tblW", {"w:w": str(twips(sum(table.widths_mm))), "w:type": "dxa"})
        _set_child(tblPr, "w:tblInd", {"w:w": str(twips(table.indent_mm)), "w:type": "dxa"})
        _set_child(tblPr, "w:tblLayout", {"w:type": "fixed"})
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "single" if table.borders else "nil")
            if table.borders:
                el.set(qn("w:sz"), "4")
                el.set(qn("w:color"), "000000")
            borders.append(el)
        old = tblPr.find(qn("w:tblBorders"))
        if old is not None:
            tblPr.remove(old)
        tblPr.append(borders)
        style = tblPr.find(qn("w:tblStyle"))
        if style is not None:
            tblPr.remove(style)
        grid = tbl.tblGrid
        for gc, w in zip(grid.findall(qn("w:gridCol")), table.widths_mm, strict=False):
            gc.set(qn("w:w"), str(twips(w)))
        for ri, row in enumerate(table.rows):
            tr = t.rows[ri]
            trPr = tr._tr.get_or_add_trPr()
            if row.cant_split:
                trPr.append(OxmlElement("w:cantSplit"))
            if ri < table.header_rows:
                trPr.append(OxmlElement("w:tblHeader"))
            for ci in range(n_cols):
                cell = tr.cells[ci]
                model_cell = row.cells[ci] if ci < len(row.cells) else Cell([], table.widths_mm[ci])
                cell.width = Mm(model_cell.width_mm)
                self._cell(cell, model_cell)
                if table.keep_with_next and ri < len(table.rows) - 1:
                    for par in cell.paragraphs:  # keeps the rows of one signature group on one page
                        par.paragraph_format.keep_with_next = True

    def _cell(self, cell, model: Cell) -> None:
        first = cell.paragraphs[0]
        avail = model.width_mm - 2 * CELL_PAD_MM
        if not model.blocks:
            first.style = self._style("o_trong", Para("o_trong", [], 1.0))
            return
        for i, block in enumerate(model.blocks):
            if isinstance(block, Para):
                self._para(first if i == 0 else cell.add_paragraph(), block)
            elif isinstance(block, Rule):
                self._rule(first if i == 0 else cell.add_paragraph(), block, avail)
            elif isinstance(block, Table):  # pragma: no cover - nested tables are not composed
                self._table(cell, block)

    # -- styles --------------------------------------------------------------------------------------
    def _style(self, role: str, para: Para):
        """The role's named style. Its properties come from the first paragraph of the role (the profile's
        decision); a style that already exists in a user template is used as it is (restyled in Word),
        and paragraphs then get direct formatting only where they differ from the profile's values."""
        name = f"QC {role}"
        styles = self.docx.styles
        if role in self.styles:
            return styles[name]
        bold = bool(para.runs) and all(r.bold for r in para.runs)
        italic = bool(para.runs) and all(r.italic for r in para.runs)
        underline = bool(para.runs) and all(r.underline for r in para.runs)
        self.styles[role] = _StyleProps(
            para.size_pt, bold, italic, underline, para.align, para.first_indent_mm, para.left_indent_mm,
            para.space_before_pt, para.space_after_pt, para.line_spacing,
        )
        if name in [s.name for s in styles]:
            return styles[name]
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
        st.quick_style = True
        st.font.size = Pt(para.size_pt)
        st.font.bold = bold
        st.font.italic = italic
        st.font.underline = underline
        st.font.name = FONT
        _set_fonts(st.element.get_or_add_rPr(), "vi-VN")
        pf = st.paragraph_format
        pf.alignment = _ALIGN[para.align]
        pf.first_line_indent = Mm(para.first_indent_mm)
        pf.left_indent = Mm(para.left_indent_mm)
        pf.space_before = Pt(para.space_before_pt)
        pf.space_after = Pt(para.space_after_pt)
        pf.line_spacing = para.line_spacing
        return st


def _set_fonts(rpr, lang: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    if rpr.find(qn("w:color")) is None:
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "000000")
        rpr.append(color)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)


def _set_child(parent, tag: str, attrs: dict[str, str]) -> None:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for k, v in attrs.items():
        el.set(qn(k), v)


_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
]


def _insert_pPr_child(pPr, element) -> None:
    """Insert ``element`` (w:pBdr) at its schema position so Word accepts the file."""
    after = _PPR_ORDER[: _PPR_ORDER.index("w:pBdr")]
    last = None
    for child in pPr:
        if child.tag in [qn(t) for t in after]:
            last = child
    if last is None:
        pPr.insert(0, element)
    else:
        last.addnext(element)


def _page_field(p, size_pt: float) -> None:
    def run_with(child):
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        _set_fonts(rpr, "vi-VN")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(round(size_pt * 2)))
        rpr.append(sz)
        r.append(rpr)
        r.append(child)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    num = OxmlElement("w:t")
    num.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for child in (begin, instr, sep, num, end):
        p._p.append(run_with(deepcopy(child)))

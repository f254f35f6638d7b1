"""Structural outlines of rendered documents, for golden comparisons (design.md §7): page setup in mm,
per paragraph its style, alignment, size, bold/italic/underline and text, tables with column widths,
rule lines with their drawn length. Effective formatting is resolved through the style chain."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from quyche import model
from quyche.render.docx_styles import role_of

EMU_PER_MM = 36000
TWIPS_PER_MM = 1440 / 25.4
CELL_PAD_MM = 1.9


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _eff(paragraph: Paragraph, run, attr: str):
    """Effective run attribute: run → paragraph style chain → None."""
    if run is not None:
        value = getattr(run.font, attr)
        if value is not None:
            return value
    for st in _style_chain(paragraph.style):
        value = getattr(st.font, attr)
        if value is not None:
            return value
    return None


def _eff_pf(paragraph: Paragraph, attr: str):
    value = getattr(paragraph.paragraph_format, attr)
    if value is not None:
        return value
    for st in _style_chain(paragraph.style):
        value = getattr(st.paragraph_format, attr)
        if value is not None:
            return value
    return None


def _mm(length) -> float | None:
    return None if length is None else round(length / EMU_PER_MM, 1)


def para_outline(p: Paragraph, avail_mm: float) -> dict[str, Any]:
    pPr = p._p.pPr
    border = pPr.find(qn("w:pBdr")) if pPr is not None else None
    left = _mm(_eff_pf(p, "left_indent")) or 0.0
    right = _mm(_eff_pf(p, "right_indent")) or 0.0
    if border is not None and border.find(qn("w:top")) is not None:
        return {"rule_mm": round(avail_mm - left - right, 1)}
    runs = [r for r in p.runs if r.text]
    align = _eff_pf(p, "alignment")
    size = _eff(p, runs[0] if runs else None, "size")
    out: dict[str, Any] = {
        "style": p.style.name if p.style is not None else None,
        "role": role_of(p.style.name) if p.style is not None else None,
        "text": p.text,
        "align": str(align).split(".")[-1].split(" ")[0].lower() if align is not None else "left",
        "size": size.pt if size is not None else None,
    }
    for attr in ("bold", "italic", "underline"):
        values = {bool(_eff(p, r, attr)) for r in runs}
        out[attr] = values.pop() if len(values) == 1 else "mixed" if values else False
    first = _mm(_eff_pf(p, "first_line_indent"))
    if first:
        out["first_indent_mm"] = first
    return out


def table_outline(t: Table) -> dict[str, Any]:
    tblPr = t._tbl.tblPr
    ind = tblPr.find(qn("w:tblInd"))
    widths = [round(int(gc.get(qn("w:w"))) / TWIPS_PER_MM, 1) for gc in t._tbl.tblGrid.findall(qn("w:gridCol"))]
    rows = []
    for row in t.rows:
        cells = []
        for tc in row._tr.tc_lst:  # each cell once, also one that spans grid columns
            cell = _Cell(tc, t)
            avail = round(int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) / TWIPS_PER_MM, 1) - 2 * CELL_PAD_MM
            cells.append([para_outline(p, avail) for p in cell.paragraphs])
        rows.append(cells)
    borders = tblPr.find(qn("w:tblBorders"))
    top = borders.find(qn("w:top")) if borders is not None else None
    return {
        "table": {
            "widths_mm": widths,
            "indent_mm": round(int(ind.get(qn("w:w"))) / TWIPS_PER_MM, 1) if ind is not None else 0.0,
            "borders": bool(top is not None and top.get(qn("w:val")) not in ("nil", "none")),
            "rows": rows,
        }
    }


def docx_outline(data: bytes) -> dict[str, Any]:
    doc = Document(io.BytesIO(data))
    sections = []
    for s in doc.sections:
        sectPr = s._sectPr
        pg = sectPr.find(qn("w:pgNumType"))
        sections.append(
            {
                "page_mm": [_mm(s.page_width), _mm(s.page_height)],
                "margins_mm": [_mm(s.top_margin), _mm(s.bottom_margin), _mm(s.left_margin), _mm(s.right_margin)],
                "title_page": bool(s.different_first_page_header_footer),
                "restart": pg is not None and pg.get(qn("w:start")) == "1",
                "header": [p.text for p in s.header.paragraphs],
                "header_fields": [el.text for el in s.header._element.iter(qn("w:instrText"))],
                "first_header": [p.text for p in s.first_page_header.paragraphs if p.text],
            }
        )
    avail = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    body = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            body.append(para_outline(Paragraph(child, doc), avail / EMU_PER_MM))
        elif child.tag == qn("w:tbl"):
            body.append(table_outline(Table(child, doc)))
    return {"sections": sections, "body": body}


def iter_paragraphs(outline: dict[str, Any]):
    """Every paragraph outline (body and table cells) in reading order."""

    def walk(items):
        for item in items:
            if "table" in item:
                for row in item["table"]["rows"]:
                    for cell in row:
                        yield from walk(cell)
            else:
                yield item

    yield from walk(outline["body"])


def docx_texts(data: bytes) -> list[str]:
    return [p["text"] for p in iter_paragraphs(docx_outline(data)) if p.get("text", "").strip()]


def docx_text(data: bytes) -> str:
    """All text of a .docx as python-docx reads it: body paragraphs, then each table's cell paragraphs."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for tc in row._tr.tc_lst:  # each cell once, also one that spans grid columns
                parts.extend(p.text for p in _Cell(tc, t).paragraphs)
    return "\n".join(parts)


def model_texts(blocks) -> list[str]:
    """The text of each paragraph of composed blocks (quyche.model), table cells included, in order."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, model.Para):
            out.append(b.text)
        elif isinstance(b, model.Table):
            for row in b.rows:
                for cell in row.cells:
                    out.extend(model_texts(cell.blocks))
    return out

"""DOCX renderer: WordprocessingML written directly from the composed model.

Why not python-docx's object API: building a document through it costs ~150 ms a page set (every
property is a tree walk); the composed model already holds every decision, so the renderer only
serialises it — about 10× faster, which matters for a year's batch. python-docx stays the reader in
the tests (tests/outline.py), so every output is checked by an independent parser.

- Named paragraph styles per role ("Điều", "Quốc hiệu", …: docx_styles.py) carry the formatting, so Word's
  style pane shows the structure; paragraphs get direct formatting only where they differ from their style;
  Phần / Chương / Mục / Điều carry outline levels. With a user template (``template=``: a .docx whose styles
  were restyled in Word) the template's styles are kept and win.
- The package (docx_package.py) has every part a Word-made file has, properties from the document, and
  the same bytes for the same input.
- Times New Roman on every run (ascii, hAnsi, cs, eastAsia), lang vi-VN, black (the-thuc §6 item 2).
- Rule lines are paragraph borders whose indents make them exactly ``length_mm`` long, centred: never
  underscores, never underline formatting (the-thuc §6 item 6).
- Page numbers in the header, centred, hidden on page 1 of each section (w:titlePg, ND30-PL1 §I.7);
  each appendix section restarts at 1 (ND30-PL1 §III.1.đ).
- Every text is XML-escaped and stripped of characters XML forbids.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..model import Block, Cell, Document, PageSetup, Para, Rule, Table
from . import docx_package as pkg
from .docx_styles import StyleBook, StyleProps, outline_xml
from .docx_xml import ALIGN, CELL_PAD_TW, XML_DECL, R, W, a, ind, rpr, spacing, t, twips
from .mau import Mau, read_mau

__all__ = ["CELL_PAD_TW", "DocxRenderer", "twips"]


class DocxRenderer:
    extension = "docx"

    def __init__(self, template: str | Path | None = None) -> None:
        self.template = Path(template) if template else None

    # -- entry point ---------------------------------------------------------------------------------
    def render(self, document: Document) -> bytes:
        tpl = read_mau(self.template) if self.template else None  # bounded, rebuilt, checked (mau.py)
        self._book = StyleBook(tpl.style_ids if tpl else None)
        body: list[str] = []
        n = len(document.sections)
        for i, section in enumerate(document.sections):
            sect_pr = self._sect_pr(section.page, section.restart_numbering)
            chunks: list[str] = []
            prev_table = False
            for block in section.blocks:
                is_table = isinstance(block, Table)
                if is_table and prev_table:  # adjacent tables merge in Word and LibreOffice
                    chunks.append(self._para(Para("ngan_bang", [], 1.0, keep_with_next=True)))
                chunks.append(self._block(block, section.page.text_width_mm))
                prev_table = is_table
            if i < n - 1:  # a section's properties ride on its last paragraph
                if prev_table or not chunks:
                    chunks.append(self._para(Para("ngan_bang", [], 1.0)))
                last = chunks[-1]
                chunks[-1] = _attach_sect_pr(last, sect_pr)
            else:
                chunks.append(sect_pr)
            body.extend(chunks)
        page = document.sections[0].page
        self._style("so_trang", Para("so_trang", [], page.page_number_size_pt, align="center"))
        document_xml = (
            f'{XML_DECL}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(body)}</w:body></w:document>'
        )
        header = self._header_xml(page.page_number_size_pt)
        first = f'{XML_DECL}<w:hdr xmlns:w="{W}"><w:p/></w:hdr>'
        parts = self._package(document, tpl, document_xml, header, first)
        if page.mirror_back_page:  # duplex: back pages swap the side margins (the-thuc §2.7)
            parts["word/settings.xml"] = _mirror(parts["word/settings.xml"])
        return pkg.zip_parts(parts)

    # -- blocks --------------------------------------------------------------------------------------
    def _block(self, block: Block, avail_mm: float) -> str:
        if isinstance(block, Para):
            return self._para(block)
        if isinstance(block, Rule):
            return self._rule(block, avail_mm)
        return self._table(block)

    def _para(self, para: Para) -> str:
        sid, props = self._style(para.role, para)
        ppr = [f'<w:pStyle w:val="{a(sid)}"/>']
        if para.keep_with_next:
            ppr.append("<w:keepNext/>")
        if para.keep_together:
            ppr.append("<w:keepLines/>")
        ppr.append(
            spacing(
                para.space_before_pt if para.space_before_pt != props.before else None,
                para.space_after_pt if para.space_after_pt != props.after else None,
                para.line_spacing if para.line_spacing != props.line else None,
            )
        )
        ppr.append(
            ind(
                para.left_indent_mm if para.left_indent_mm != props.left else None,
                None,
                para.first_indent_mm if para.first_indent_mm != props.first else None,
            )
        )
        if para.align != props.align:
            ppr.append(f'<w:jc w:val="{ALIGN[para.align]}"/>')
        ppr.append(outline_xml(para.role))  # direct too: a restyled template's style may lack it
        runs = []
        for run in para.runs:
            size = run.size_pt or para.size_pt
            run_pr = rpr(
                run.bold if run.bold != props.bold else None,
                run.italic if run.italic != props.italic else None,
                run.underline if run.underline != props.underline else None,
                size if size != props.size else None,
                run.color,
            )
            text = '</w:t><w:br/><w:t xml:space="preserve">'.join(t(part) for part in run.text.split("\n"))
            runs.append(f'<w:r>{run_pr}<w:t xml:space="preserve">{text}</w:t></w:r>')  # "\n": a line break
        return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{''.join(runs)}</w:p>"

    def _rule(self, rule: Rule, avail_mm: float) -> str:
        """A top border on a 1-pt paragraph, indented so the border is exactly ``length_mm`` long."""
        sid, _ = self._style("duong_ke", Para("duong_ke", [], 1.0))
        side = max((avail_mm - rule.length_mm) / 2, 0)
        sz = max(2, round(rule.weight_pt * 8))
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{a(sid)}"/>'
            f'<w:pBdr><w:top w:val="single" w:sz="{sz}" w:space="0" w:color="000000"/></w:pBdr>'
            f"{spacing(rule.space_before_pt, rule.space_after_pt, None, exact_tw=20)}"
            f"{ind(side, side, None)}</w:pPr>"
            f'<w:r>{rpr(None, None, None, 1.0)}<w:t xml:space="preserve"></w:t></w:r></w:p>'
        )

    def _table(self, table: Table) -> str:
        n_cols = max(sum(c.span for c in r.cells) for r in table.rows)
        widths = [*table.widths_mm, *([table.widths_mm[-1]] * (n_cols - len(table.widths_mm)))][:n_cols]
        val = "single" if table.borders else "nil"
        extra = f' w:sz="4" w:space="0" w:color="{a(table.border_color)}"' if table.borders else ""
        borders = "".join(
            f'<w:{e} w:val="{val}"{extra}/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        out = [
            "<w:tbl><w:tblPr>",
            f'<w:tblW w:w="{twips(sum(widths))}" w:type="dxa"/>',
            f'<w:tblInd w:w="{twips(table.indent_mm)}" w:type="dxa"/>',
            f"<w:tblBorders>{borders}</w:tblBorders>",
            '<w:tblLayout w:type="fixed"/>',
            f'<w:tblCellMar><w:left w:w="{CELL_PAD_TW}" w:type="dxa"/><w:right w:w="{CELL_PAD_TW}" w:type="dxa"/>'
            "</w:tblCellMar>",
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/>',
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        for ri, row in enumerate(table.rows):
            trpr = ("<w:cantSplit/>" if row.cant_split else "") + ("<w:tblHeader/>" if ri < table.header_rows else "")
            out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
            keep = table.keep_with_next  # a signature group stays on one page, with what follows it
            used = 0
            for cell in row.cells:
                out.append(self._cell(cell, keep))
                used += cell.span
            out.extend(self._cell(Cell([], widths[ci]), keep) for ci in range(used, n_cols))
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def _cell(self, cell: Cell, keep: bool) -> str:
        avail = cell.width_mm - 2 * CELL_PAD_TW * 25.4 / 1440
        inner = []
        for block in cell.blocks:
            if isinstance(block, Para) and keep and not block.keep_with_next:
                block = replace(block, keep_with_next=True)
            if isinstance(block, Rule):
                inner.append(self._rule(block, avail))
            elif isinstance(block, Para):
                inner.append(self._para(block))
            else:  # the urgency mark's frame in the number's cell (compose/dau_khan.py)
                inner.append(self._table(block))
        if not inner or not isinstance(cell.blocks[-1], (Para, Rule)):
            inner.append(self._para(Para("o_trong", [], 1.0)))  # a cell ends with a paragraph (ECMA-376 §17.4.66)
        span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{twips(cell.width_mm)}" w:type="dxa"/>{span}</w:tcPr>{"".join(inner)}</w:tc>'

    # -- page, header --------------------------------------------------------------------------------
    def _sect_pr(self, page: PageSetup, restart: bool) -> str:
        return (
            "<w:sectPr>"
            '<w:headerReference w:type="default" r:id="rIdQcHeader"/>'
            '<w:headerReference w:type="first" r:id="rIdQcHeaderFirst"/>'
            f'<w:pgSz w:w="{twips(page.width_mm)}" w:h="{twips(page.height_mm)}"/>'
            f'<w:pgMar w:top="{twips(page.margin_top_mm)}" w:right="{twips(page.margin_right_mm)}" '
            f'w:bottom="{twips(page.margin_bottom_mm)}" w:left="{twips(page.margin_left_mm)}" '
            f'w:header="{twips(page.header_mm)}" w:footer="{twips(page.header_mm)}" w:gutter="0"/>'
            + ('<w:pgNumType w:start="1"/>' if restart else "")
            + ("" if page.page_number_first_page else "<w:titlePg/>")
            + "</w:sectPr>"
        )

    def _header_xml(self, size: float) -> str:
        sid = self._book.style_id("so_trang")
        run_pr = rpr(None, None, None, size)
        field = (
            f'<w:r>{run_pr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{run_pr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{run_pr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{run_pr}<w:t>2</w:t></w:r>"
            f'<w:r>{run_pr}<w:fldChar w:fldCharType="end"/></w:r>'
        )
        return (
            f'{XML_DECL}<w:hdr xmlns:w="{W}">'
            f'<w:p><w:pPr><w:pStyle w:val="{a(sid)}"/><w:jc w:val="center"/></w:pPr>{field}</w:p></w:hdr>'
        )

    # -- styles --------------------------------------------------------------------------------------
    def _style(self, role: str, para: Para) -> tuple[str, StyleProps]:
        return self._book.style(role, para)

    # -- package -------------------------------------------------------------------------------------
    def _package(
        self, document: Document, tpl: Mau | None, document_xml: str, header: str, first: str
    ) -> dict[str, bytes]:
        styles = pkg.BASE_STYLES.replace("</w:styles>", "".join(self._book.xml) + "</w:styles>")
        parts = {
            "[Content_Types].xml": pkg.content_types().encode(),
            "_rels/.rels": pkg.ROOT_RELS.encode(),
            "docProps/core.xml": pkg.core_xml(document).encode(),
            "docProps/app.xml": pkg.APP.encode(),
            "docProps/custom.xml": pkg.custom_xml(document.meta).encode(),
            "word/document.xml": document_xml.encode(),
            "word/_rels/document.xml.rels": pkg.document_rels().encode(),
            "word/styles.xml": styles.encode(),
            "word/settings.xml": pkg.SETTINGS.encode(),
            "word/webSettings.xml": pkg.WEB_SETTINGS.encode(),
            "word/fontTable.xml": pkg.FONT_TABLE.encode(),
            "word/theme/theme1.xml": pkg.THEME.encode(),
            "word/header1.xml": header.encode(),
            "word/header2.xml": first.encode(),
        }
        if tpl is not None:  # the template's formatting parts replace quyche's; nothing else is taken
            kept, rels, types = tpl.package("".join(self._book.xml))
            parts.update(kept)
            parts["word/_rels/document.xml.rels"] = pkg.document_rels(rels).encode()
            parts["[Content_Types].xml"] = pkg.content_types(types).encode()
        return parts


def _mirror(settings: bytes) -> bytes:
    """``w:mirrorMargins``: left/right become inside/outside, so back pages swap them (Word and LibreOffice).
    It precedes w:defaultTabStop in CT_Settings (ECMA-376 Part 1, §17.15.1.78)."""
    text = settings.decode("utf-8")
    if "<w:mirrorMargins" in text:
        return settings
    if "<w:defaultTabStop" in text:
        text = text.replace("<w:defaultTabStop", "<w:mirrorMargins/><w:defaultTabStop", 1)
    else:
        text = re.sub(r"(<w:settings\b[^>]*>)", r"\1<w:mirrorMargins/>", text, count=1)
    return text.encode("utf-8")


def _attach_sect_pr(paragraph_xml: str, sect_pr: str) -> str:
    """Put a section's properties into the pPr of the section's last paragraph."""
    return paragraph_xml.replace("</w:pPr>", sect_pr + "</w:pPr>", 1)

"""DOCX renderer: WordprocessingML written directly from the composed model.

Why not python-docx's object API: building a document through it costs ~150 ms a page set (every
property is a tree walk); the composed model already holds every decision, so the renderer only
serialises it — about 10× faster, which matters for a year's batch. python-docx stays the reader in
the tests (tests/outline.py), so every output is checked by an independent parser.

- Named paragraph styles per role ("QC dieu", "QC quoc_hieu", …) carry the formatting, so Word's style
  pane shows the structure; paragraphs get direct formatting only where they differ from their style.
  With a user template (``template=``: a .docx whose "QC …" styles were restyled in Word) the
  template's styles are kept and win.
- Times New Roman on every run (ascii, hAnsi, cs, eastAsia), lang vi-VN, black (the-thuc §6 item 2).
- Rule lines are paragraph borders whose indents make them exactly ``length_mm`` long, centred: never
  underscores, never underline formatting (the-thuc §6 item 6).
- Page numbers in the header, centred, hidden on page 1 of each section (w:titlePg, ND30-PL1 §I.7);
  each appendix section restarts at 1 (ND30-PL1 §III.1.đ).
- Every text is XML-escaped and stripped of characters XML forbids.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..model import Block, Cell, Document, PageSetup, Para, Rule, Table

FONT = "Times New Roman"
CELL_PAD_TW = 108  # Word's default left/right cell margin
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _t(text: str) -> str:
    return escape(_XML_BAD.sub("", text))


def _a(text: str) -> str:
    return escape(_XML_BAD.sub("", text), {'"': "&quot;"})


def _rfonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'


_LANG = '<w:lang w:val="vi-VN" w:eastAsia="vi-VN"/>'


def _rpr(bold: bool | None, italic: bool | None, underline: bool | None, size: float | None) -> str:
    """Run properties in schema order (rFonts, b, i, color, sz, szCs, u, lang)."""
    out = [_rfonts()]
    if bold is not None:
        out.append("<w:b/>" if bold else '<w:b w:val="0"/>')
    if italic is not None:
        out.append("<w:i/>" if italic else '<w:i w:val="0"/>')
    out.append('<w:color w:val="000000"/>')
    if size is not None:
        hp = round(size * 2)
        out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if underline is not None:
        out.append('<w:u w:val="single"/>' if underline else '<w:u w:val="none"/>')
    out.append(_LANG)
    return "<w:rPr>" + "".join(out) + "</w:rPr>"


def _spacing(before: float | None, after: float | None, line: float | None, exact_tw: int | None = None) -> str:
    attrs = []
    if before is not None:
        attrs.append(f'w:before="{round(before * 20)}"')
    if after is not None:
        attrs.append(f'w:after="{round(after * 20)}"')
    if exact_tw is not None:
        attrs.append(f'w:line="{exact_tw}" w:lineRule="exact"')
    elif line is not None:
        attrs.append(f'w:line="{round(line * 240)}" w:lineRule="auto"')
    return f"<w:spacing {' '.join(attrs)}/>" if attrs else ""


def _ind(left: float | None, right: float | None, first: float | None) -> str:
    attrs = []
    if left is not None:
        attrs.append(f'w:left="{twips(left)}"')
    if right is not None:
        attrs.append(f'w:right="{twips(right)}"')
    if first is not None:
        attrs.append(f'w:firstLine="{twips(first)}"' if first >= 0 else f'w:hanging="{twips(-first)}"')
    return f"<w:ind {' '.join(attrs)}/>" if attrs else ""


@dataclass(frozen=True)
class _StyleProps:
    size: float
    bold: bool
    italic: bool
    underline: bool
    align: str
    first: float
    left: float
    before: float
    after: float
    line: float


@dataclass(frozen=True)
class _Template:
    """A user template's parts, read once: everything but the body is kept."""

    parts: dict[str, bytes]
    style_ids: dict[str, str]  # style name → styleId


@lru_cache(maxsize=8)
def _read_template(path: str, mtime: float) -> _Template:
    del mtime  # part of the cache key: a template edited in Word is read again
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    styles = etree.fromstring(parts["word/styles.xml"])
    ids = {}
    for st in styles.iter(f"{{{_W}}}style"):
        name = st.find(f"{{{_W}}}name")
        if name is not None:
            ids[name.get(f"{{{_W}}}val")] = st.get(f"{{{_W}}}styleId")
    return _Template(parts, ids)


class DocxRenderer:
    extension = "docx"

    def __init__(self, template: str | Path | None = None) -> None:
        self.template = Path(template) if template else None

    # -- entry point ---------------------------------------------------------------------------------
    def render(self, document: Document) -> bytes:
        tpl = _read_template(str(self.template), self.template.stat().st_mtime) if self.template else None
        self._styles: dict[str, _StyleProps] = {}
        self._style_xml: list[str] = []
        self._style_ids = dict(tpl.style_ids) if tpl else {}
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
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{"".join(body)}</w:body></w:document>'
        )
        header = self._header_xml(page.page_number_size_pt)
        first = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{_W}"><w:p/></w:hdr>'
        parts = self._package(document, tpl, document_xml, header, first)
        if page.mirror_back_page:  # duplex: back pages swap the side margins (the-thuc §2.7)
            parts["word/settings.xml"] = _mirror(parts["word/settings.xml"])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for name in _ORDER:
                if name in parts:
                    z.writestr(name, parts.pop(name))
            for name, data in parts.items():
                z.writestr(name, data)
        return out.getvalue()

    # -- blocks --------------------------------------------------------------------------------------
    def _block(self, block: Block, avail_mm: float) -> str:
        if isinstance(block, Para):
            return self._para(block)
        if isinstance(block, Rule):
            return self._rule(block, avail_mm)
        return self._table(block)

    def _para(self, para: Para) -> str:
        sid, props = self._style(para.role, para)
        ppr = [f'<w:pStyle w:val="{sid}"/>']
        if para.keep_with_next:
            ppr.append("<w:keepNext/>")
        if para.keep_together:
            ppr.append("<w:keepLines/>")
        ppr.append(
            _spacing(
                para.space_before_pt if para.space_before_pt != props.before else None,
                para.space_after_pt if para.space_after_pt != props.after else None,
                para.line_spacing if para.line_spacing != props.line else None,
            )
        )
        ppr.append(
            _ind(
                para.left_indent_mm if para.left_indent_mm != props.left else None,
                None,
                para.first_indent_mm if para.first_indent_mm != props.first else None,
            )
        )
        if para.align != props.align:
            ppr.append(f'<w:jc w:val="{_ALIGN[para.align]}"/>')
        runs = []
        for run in para.runs:
            size = run.size_pt or para.size_pt
            rpr = _rpr(
                run.bold if run.bold != props.bold else None,
                run.italic if run.italic != props.italic else None,
                run.underline if run.underline != props.underline else None,
                size if size != props.size else None,
            )
            runs.append(f'<w:r>{rpr}<w:t xml:space="preserve">{_t(run.text)}</w:t></w:r>')
        return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{''.join(runs)}</w:p>"

    def _rule(self, rule: Rule, avail_mm: float) -> str:
        """A top border on a 1-pt paragraph, indented so the border is exactly ``length_mm`` long."""
        sid, _ = self._style("duong_ke", Para("duong_ke", [], 1.0))
        side = max((avail_mm - rule.length_mm) / 2, 0)
        sz = max(2, round(rule.weight_pt * 8))
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{sid}"/>'
            f'<w:pBdr><w:top w:val="single" w:sz="{sz}" w:space="0" w:color="000000"/></w:pBdr>'
            f"{_spacing(rule.space_before_pt, rule.space_after_pt, None, exact_tw=20)}"
            f"{_ind(side, side, None)}</w:pPr>"
            f'<w:r>{_rpr(None, None, None, 1.0)}<w:t xml:space="preserve"></w:t></w:r></w:p>'
        )

    def _table(self, table: Table) -> str:
        n_cols = max(sum(c.span for c in r.cells) for r in table.rows)
        widths = [*table.widths_mm, *([table.widths_mm[-1]] * (n_cols - len(table.widths_mm)))][:n_cols]
        val = "single" if table.borders else "nil"
        extra = ' w:sz="4" w:space="0" w:color="000000"' if table.borders else ""
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
            else:  # pragma: no cover - nested tables are never composed
                inner.append(self._table(block))
        if not inner:
            inner.append(self._para(Para("o_trong", [], 1.0)))
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
        sid = self._style_ids.get("QC so_trang", "QCsotrang")
        rpr = _rpr(None, None, None, size)
        field = (
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{rpr}<w:t>2</w:t></w:r>"
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{_W}">'
            f'<w:p><w:pPr><w:pStyle w:val="{sid}"/><w:jc w:val="center"/></w:pPr>{field}</w:p></w:hdr>'
        )

    # -- styles --------------------------------------------------------------------------------------
    def _style(self, role: str, para: Para) -> tuple[str, _StyleProps]:
        """The role's style id and properties. Properties come from the first paragraph of the role (the
        profile's decision); a style that exists in the user template is used as it is (restyled in Word)."""
        props = self._styles.get(role)
        name = f"QC {role}"
        if props is not None:
            return self._style_ids[name], props
        bold = bool(para.runs) and all(r.bold for r in para.runs)
        italic = bool(para.runs) and all(r.italic for r in para.runs)
        underline = bool(para.runs) and all(r.underline for r in para.runs)
        props = _StyleProps(
            para.size_pt,
            bold,
            italic,
            underline,
            para.align,
            para.first_indent_mm,
            para.left_indent_mm,
            para.space_before_pt,
            para.space_after_pt,
            para.line_spacing,
        )
        self._styles[role] = props
        if name not in self._style_ids:
            sid = "QC" + re.sub(r"[^A-Za-z0-9]", "", role.title())
            self._style_ids[name] = sid
            ppr = (
                _spacing(props.before, props.after, props.line)
                + _ind(props.left, None, props.first)
                + f'<w:jc w:val="{_ALIGN[props.align]}"/>'
            )
            rpr = _rpr(bold, italic, underline, props.size)
            self._style_xml.append(
                f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{_a(name)}"/>'
                f'<w:basedOn w:val="{self._style_ids.get("Normal", "Normal")}"/><w:qFormat/>'
                f"<w:pPr>{ppr}</w:pPr>{rpr}</w:style>"
            )
        return self._style_ids[name], props

    # -- package -------------------------------------------------------------------------------------
    def _package(
        self, document: Document, tpl: _Template | None, document_xml: str, header: str, first: str
    ) -> dict[str, bytes]:
        core = _core_xml(document)
        if tpl is None:
            styles = _BASE_STYLES.replace("</w:styles>", "".join(self._style_xml) + "</w:styles>")
            return {
                "[Content_Types].xml": _CONTENT_TYPES.encode(),
                "_rels/.rels": _ROOT_RELS.encode(),
                "docProps/core.xml": core.encode(),
                "docProps/app.xml": _APP.encode(),
                "word/document.xml": document_xml.encode(),
                "word/_rels/document.xml.rels": _DOC_RELS.encode(),
                "word/styles.xml": styles.encode(),
                "word/settings.xml": _SETTINGS.encode(),
                "word/header1.xml": header.encode(),
                "word/header2.xml": first.encode(),
            }
        parts = dict(tpl.parts)
        parts["word/document.xml"] = document_xml.encode()
        parts["docProps/core.xml"] = core.encode()
        styles = parts["word/styles.xml"].decode("utf-8")
        parts["word/styles.xml"] = styles.replace("</w:styles>", "".join(self._style_xml) + "</w:styles>").encode()
        rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
        ct = parts["[Content_Types].xml"].decode("utf-8")
        for rel in re.findall(r'<Relationship [^>]*Type="[^"]*/(?:header|footer)"[^>]*/>', rels):
            target = re.search(r'Target="([^"]+)"', rel)
            if target:  # the template's own headers/footers give way to the page-number header
                name = "word/" + target.group(1).lstrip("/").removeprefix("word/")
                parts.pop(name, None)
                parts.pop(name.replace("word/", "word/_rels/") + ".rels", None)
                ct = re.sub(rf'<Override PartName="/{re.escape(name)}"[^>]*/>', "", ct)
            rels = rels.replace(rel, "")
        rels = rels.replace("</Relationships>", _HEADER_RELS + "</Relationships>")
        parts["word/_rels/document.xml.rels"] = rels.encode()
        parts["word/quyche-header1.xml"] = header.encode()
        parts["word/quyche-header2.xml"] = first.encode()
        for name in ("quyche-header1.xml", "quyche-header2.xml"):
            if f"/word/{name}" not in ct:
                ct = ct.replace("</Types>", f'<Override PartName="/word/{name}" ContentType="{_CT_HEADER}"/></Types>')
        parts["[Content_Types].xml"] = ct.encode()
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


def _core_xml(document: Document) -> str:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_t(document.title[:250])}</dc:title><dc:subject>{_t(document.so_ky_hieu)}</dc:subject>"
        f"<dc:creator>quyche</dc:creator><dc:language>{_t(document.language)}</dc:language>"
        f"<dc:description>Thể thức: {_t(document.profile_id)}</dc:description>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_ORDER = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    f'<Override PartName="/word/header1.xml" ContentType="{_CT_HEADER}"/>'
    f'<Override PartName="/word/header2.xml" ContentType="{_CT_HEADER}"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL_BASE}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL_BASE}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_HEADER_RELS = (
    f'<Relationship Id="rIdQcHeader" Type="{_REL_BASE}/header" Target="quyche-header1.xml"/>'
    f'<Relationship Id="rIdQcHeaderFirst" Type="{_REL_BASE}/header" Target="quyche-header2.xml"/>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL_BASE}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_BASE}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdQcHeader" Type="{_REL_BASE}/header" Target="header1.xml"/>'
    f'<Relationship Id="rIdQcHeaderFirst" Type="{_REL_BASE}/header" Target="header2.xml"/>'
    "</Relationships>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>quyche</Application></Properties>"
)
_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/></w:settings>'
)
# Document defaults: Times New Roman, vi-VN, black, 14 pt, single spacing, no space after (the-thuc §6).
_BASE_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{_W}">'
    f"<w:docDefaults><w:rPrDefault><w:rPr>{_rfonts()}"
    f'<w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/>{_LANG}</w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    f'<w:rPr>{_rfonts()}<w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/>{_LANG}</w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    f'<w:left w:w="{CELL_PAD_TW}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    f'<w:right w:w="{CELL_PAD_TW}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>"
)

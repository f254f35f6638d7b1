"""More flaws planted the way clerks make them (python-docx on real quyche outputs; see flaws.py): numbering,
page numbers, body paragraphs, the short lines, the joint header, capitals and dashes."""

from __future__ import annotations

import copy
import itertools
import re

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx_edit import find, paragraphs, set_text

from quyche.check.detect import body_system


def _has_dieu(doc: DocxDocument) -> bool:
    return find(doc, r"^Điều \d+\. ") is not None


def dieu_skipped(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Điều 2\. ")
    if p is None:
        return None
    set_text(p, p.text.replace("Điều 2.", "Điều 3.", 1))
    return "heading.dieu"


def dieu_restarts(doc: DocxDocument, system: str) -> str | None:
    """The clerk's classic: Điều numbered from 1 again in Chương II."""
    chuong = find(doc, r"^Chương II$")
    if chuong is None:
        return None
    after = False
    for p in paragraphs(doc):
        if p._p is chuong._p:
            after = True
        elif after and re.match(r"^Điều \d+\. ", p.text):
            set_text(p, re.sub(r"^Điều \d+\.", "Điều 1.", p.text))
            return "heading.dieu"
    return None


def chuong_arabic(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Chương II$")
    if p is None:
        return None
    set_text(p, "Chương 2")
    return "heading.chuong"


def khoan_skipped(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^2[.-] ") if _has_dieu(doc) else None
    if p is None:
        return None
    set_text(p, "3" + p.text[1:])
    return "list.khoan"


def diem_order(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^b\) ") if _has_dieu(doc) else None
    if p is None:
        return None
    set_text(p, "c" + p.text[1:])
    return "list.diem"


def diem_dot(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^a\) ") if _has_dieu(doc) else None
    if p is None:
        return None
    set_text(p, "a." + p.text[2:])
    return "list.diem"


def _long(doc: DocxDocument) -> bool:
    """Surely more than one page (the checker's own low estimate): a .docx does not know its pages."""
    import io
    import pathlib
    import tempfile

    from quyche.check import read_file
    from quyche.check.detect import assign_roles
    from quyche.check.rules_pages import PAGE_TEXT_MM, estimated_height_mm

    buf = io.BytesIO()
    doc.save(buf)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "x.docx"
        path.write_bytes(buf.getvalue())
        sheet = read_file(path)
    assign_roles(sheet)
    return estimated_height_mm(sheet.lines) > 1.15 * PAGE_TEXT_MM


def _number_paragraph(doc: DocxDocument) -> Paragraph | None:
    return next((p for p in doc.sections[0].header.paragraphs if "PAGE" in p._p.xml), None)


def page_number_removed(doc: DocxDocument, system: str) -> str | None:
    p = _number_paragraph(doc)
    if p is None or not _long(doc):
        return None
    for r in list(p._p.iter(qn("w:r"))):
        r.getparent().remove(r)
    return "page_number.format"


def page_number_left(doc: DocxDocument, system: str) -> str | None:
    p = _number_paragraph(doc)
    if p is None:
        return None
    p.alignment = 0
    return "page_number.align"


def page_number_roman(doc: DocxDocument, system: str) -> str | None:
    if _number_paragraph(doc) is None:
        return None
    sect = doc.sections[0]._sectPr
    num = sect.find(qn("w:pgNumType"))
    if num is None:
        num = sect.makeelement(qn("w:pgNumType"), {})
        sect.find(qn("w:pgMar")).addnext(num)
    num.set(qn("w:fmt"), "upperRoman")
    return "page_number.format"


def _long_body(doc: DocxDocument) -> list[Paragraph]:
    """Consecutive justified body paragraphs of more than one line (running text)."""
    out = []
    for p in paragraphs(doc):
        if p._p.getparent().tag != qn("w:body"):
            continue
        align = p.alignment if p.alignment is not None else p.style.paragraph_format.alignment if p.style else None
        if len(p.text) > 110 and align == 3 and not p.text.startswith(("Kính gửi", "-", "Căn cứ")):
            out.append(p)
    return out


def body_left_aligned(doc: DocxDocument, system: str) -> str | None:
    body = _long_body(doc)
    if not body:
        return None
    body[0].alignment = 0
    return "body.align"


def body_no_indent(doc: DocxDocument, system: str) -> str | None:
    body = _long_body(doc)
    if not body:
        return None
    body[-1].paragraph_format.first_line_indent = Mm(0)
    return "body.first_line_indent_mm"


def body_cramped(doc: DocxDocument, system: str) -> str | None:
    """No space between two paragraphs of running text."""
    body = _long_body(doc)
    pair = next(((a, b) for a, b in itertools.pairwise(body) if a._p.getnext() is b._p), None)
    if pair is None:
        return None
    pair[0].paragraph_format.space_after = Pt(0)
    pair[1].paragraph_format.space_before = Pt(0)
    return "body.space_before_pt"


def body_double_spaced(doc: DocxDocument, system: str) -> str | None:
    body = _long_body(doc)
    if not body:
        return None
    body[0].paragraph_format.line_spacing = 2.0
    return "body.line_spacing"


def _agency_rule(doc: DocxDocument) -> Paragraph | None:
    head = doc.tables[0].cell(0, 0)
    return next((q for q in head.paragraphs if q._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None), None)


def _indents(p: Paragraph) -> tuple[int, int]:
    ind = p._p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if ind is None:
        return 0, 0
    return int(ind.get(qn("w:left"), "0")), int(ind.get(qn("w:right"), "0"))


def agency_line_full(doc: DocxDocument, system: str) -> str | None:
    """The short line under the agency drawn the whole width of the cell."""
    p = _agency_rule(doc)
    if p is None:
        return None
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(0)
    return "header.co_quan.rule_fraction"


def agency_line_aside(doc: DocxDocument, system: str) -> str | None:
    """The right length, pushed to the left of the cell."""
    p = _agency_rule(doc)
    if p is None:
        return None
    left, right = _indents(p)
    p.paragraph_format.left_indent = 0
    p.paragraph_format.right_indent = left + right
    return "header.co_quan.rule_fraction"


def trich_yeu_line_full(doc: DocxDocument, system: str) -> str | None:
    ten = next((q for q in paragraphs(doc) if q._p.getparent().tag == qn("w:body")), None)
    for q in paragraphs(doc):
        if ten is None:
            break
        if q._p.getparent().tag != qn("w:body"):
            continue
        if q._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None:
            prev = q._p.getprevious()
            if prev is None or not Paragraph(prev, q._parent).text.strip():
                return None
            if Paragraph(prev, q._parent).text.isupper():
                return None  # no trích yếu: the line stands under the type name
            q.paragraph_format.left_indent = q.paragraph_format.right_indent = Mm(0)
            return "trich_yeu.rule_fraction"
    return None


def right_header_of_second_body(doc: DocxDocument, system: str) -> str | None:
    """A joint Party–State document led by the Party body, given the State's Quốc hiệu and Tiêu ngữ."""
    head = doc.tables[0].cell(0, 0)
    systems = {body_system(q.text) for q in head.paragraphs} - {None}
    p = find(doc, r"^ĐẢNG CỘNG SẢN VIỆT NAM$")
    if p is None or system != "dang" or not {"dang", "nha_nuoc"} <= systems:
        return None
    set_text(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = copy.deepcopy(p._p)
    p._p.addnext(motto)
    set_text(Paragraph(motto, p._parent), "Độc lập - Tự do - Hạnh phúc")
    return "joint.right_header"


TYPE_NAMES = r"^(QUY CHẾ|CHƯƠNG TRÌNH|GIẤY MỜI|BIÊN BẢN|KẾ HOẠCH|QUYẾT ĐỊNH|BÁO CÁO|THÔNG BÁO)$"


def type_name_lower(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, TYPE_NAMES)
    if p is None:
        return None
    set_text(p, p.text[:1] + p.text[1:].lower())
    return "ten_loai"


def trich_yeu_lower(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, TYPE_NAMES)
    nxt = p._p.getnext() if p is not None else None
    if nxt is None or nxt.tag != qn("w:p"):
        return None
    title = Paragraph(nxt, p._parent)
    if not title.text[:1].isupper() or title.text.isupper() or title.text.startswith(("Về ", "V/v")):
        return None
    set_text(title, title.text[:1].lower() + title.text[1:])
    return "trich_yeu.case"


def number_en_dash(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Số:? \d+[/-]\S+-")
    if p is None:
        return None
    head, _, tail = p.text.rpartition("-")
    set_text(p, f"{head}–{tail}")
    return "number.ky_hieu"


def noi_nhan_en_dash(doc: DocxDocument, system: str) -> str | None:
    label = find(doc, r"^Nơi nhận")
    nxt = label._p.getnext() if label is not None else None
    if nxt is None or not Paragraph(nxt, label._parent).text.startswith("- "):
        return None
    item = Paragraph(nxt, label._parent)
    set_text(item, "–" + item.text[1:])
    return "noi_nhan.item"


def body_item_en_dash(doc: DocxDocument, system: str) -> str | None:
    """Word's autocorrect turns "- " at the start of a list item into "– "."""
    for q in paragraphs(doc):
        if q.text.startswith("Nơi nhận"):
            return None  # the Nơi nhận items have their own rule
        if (
            q._p.getparent().tag == qn("w:body")
            and q.text.startswith("- ")
            and not re.match(r"^- (Căn cứ|Xét|Theo)", q.text)
        ):
            set_text(q, "–" + q.text[1:])
            return "list.gach"
    return None


MORE_FLAWS = {
    f.__name__: f
    for f in (
        dieu_skipped,
        dieu_restarts,
        chuong_arabic,
        khoan_skipped,
        diem_order,
        diem_dot,
        page_number_removed,
        page_number_left,
        page_number_roman,
        body_left_aligned,
        body_no_indent,
        body_cramped,
        body_double_spaced,
        agency_line_full,
        agency_line_aside,
        trich_yeu_line_full,
        right_header_of_second_body,
        type_name_lower,
        trich_yeu_lower,
        number_en_dash,
        noi_nhan_en_dash,
        body_item_en_dash,
    )
}
MORE_FIXABLE = {"body_left_aligned", "body_no_indent", "body_cramped", "body_double_spaced"}

"""Flaws planted the way clerks make them: python-docx edits on a real quyche output. Each flaw takes the
opened document and the document's system ("nha_nuoc" or "dang" header) and returns the profile rule id
``quyche check`` must report, or None when the document has nothing to plant it on (no date line in a State
biên bản, no "TM." line …). ``FIXABLE`` flaws must be gone after ``--sua``."""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from quyche.check.detect import body_system
from quyche.render.docx_styles import role_of

Flaw = Callable[[DocxDocument, str], "str | None"]


def paragraphs(doc: DocxDocument) -> Iterator[Paragraph]:
    for p in doc.element.body.iter(qn("w:p")):
        yield Paragraph(p, doc)


def find(doc: DocxDocument, pattern: str) -> Paragraph | None:
    rx = re.compile(pattern)
    return next((p for p in paragraphs(doc) if rx.search(p.text)), None)


def set_text(p: Paragraph, text: str) -> None:
    runs = [r for r in p.runs if r.text]
    runs[0].text = text
    for r in runs[1:]:
        r.text = ""


def _border_after(p: Paragraph) -> Paragraph | None:
    nxt = p._p.getnext()
    if nxt is not None and nxt.tag == qn("w:p") and nxt.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None:
        return Paragraph(nxt, p._parent)
    return None


def wrong_font(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^(Điều \d|\d+[.-] |[A-ZĐ][a-zà-ỹ])") or find(doc, r"\w{4}")
    for r in p.runs:
        r.font.name = "Arial"
    return "font.family"


def body_12pt(doc: DocxDocument, system: str) -> str | None:
    hit = False
    for p in paragraphs(doc):
        if p.style is not None and role_of(p.style.name) in ("doan", "khoan", "diem", "dieu"):
            for r in p.runs:
                r.font.size = Pt(12)
            hit = True
    return "sizes.body" if hit else None


def motto_underscores(doc: DocxDocument, system: str) -> str | None:
    key = "tieu_ngu" if system == "nha_nuoc" else "tieu_de"
    p = find(doc, r"^Độc lập" if key == "tieu_ngu" else r"^ĐẢNG CỘNG SẢN")
    line = _border_after(p)
    if line is None:
        return None
    line._p.getparent().remove(line._p)
    new = p.insert_paragraph_before("")  # then move it after the motto
    p._p.addnext(new._p)
    run = new.add_run("_" * 22)
    run.font.size = Pt(14)
    run.font.name = "Times New Roman"
    new.alignment = 1
    return f"header.{key}.rule"


def motto_underlined(doc: DocxDocument, system: str) -> str | None:
    key = "tieu_ngu" if system == "nha_nuoc" else "tieu_de"
    p = find(doc, r"^Độc lập" if key == "tieu_ngu" else r"^ĐẢNG CỘNG SẢN")
    line = _border_after(p)
    if line is not None:
        line._p.getparent().remove(line._p)
    for r in p.runs:
        r.font.underline = True
    return f"header.{key}.rule"


def number_spacing(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Số")
    if system == "nha_nuoc":
        set_text(p, p.text.replace("Số: ", "Số:", 1))
    else:
        set_text(p, p.text.replace("Số ", "Số: ", 1))
    return "number.format"


def date_unpadded(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^[^,]+, ngày \d+ tháng \d+ năm \d{4}$")
    if p is None:
        return None
    set_text(p, re.sub(r"ngày \d+ tháng \d+", "ngày 5 tháng 1", p.text))
    return "date.format"


def prefix_no_dot(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^(TM|KT)\. ")
    if p is None:
        return None
    set_text(p, re.sub(r"^(TM|KT)\.", r"\1", p.text))
    return "sign.prefix"


def party_prefix_in_state(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^TM\. ")
    if p is None:
        return None
    set_text(p, p.text.replace("TM.", "T/M", 1))
    return "sign.prefix"


def missing_star(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^\*$")
    if p is None:
        return None
    p._p.getparent().remove(p._p)
    return "header.co_quan.mark"


def margin_left(doc: DocxDocument, system: str) -> str | None:
    for s in doc.sections:
        s.left_margin = Mm(12)
    return "page.margin_mm.left"


def paper_letter(doc: DocxDocument, system: str) -> str | None:
    for s in doc.sections:
        s.page_width, s.page_height = Mm(215.9), Mm(279.4)
    return "page.paper_mm"


def noi_nhan_label(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Nơi nhận")
    if p is None:
        return None
    for r in p.runs:
        if system == "nha_nuoc":
            r.font.bold = False
        else:
            r.font.underline = False
    return "noi_nhan.label.bold" if system == "nha_nuoc" else "noi_nhan.label.underline"


def page_number_first(doc: DocxDocument, system: str) -> str | None:
    doc.sections[0].different_first_page_header_footer = False
    return "page_number.first_page"


def quoc_hieu_size(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^CỘNG HÒA XÃ HỘI" if system == "nha_nuoc" else r"^ĐẢNG CỘNG SẢN")
    if p is None:
        return None
    for r in p.runs:
        r.font.size = Pt(12)
    return "sizes.quoc_hieu"


def quoc_hieu_text(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^CỘNG HÒA XÃ HỘI")
    if p is None or system != "nha_nuoc":
        return None
    set_text(p, "CỘNG HÒA XHCN VIỆT NAM")
    return "header.quoc_hieu.text"


def tieu_ngu_dash(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Độc lập")
    if p is None or system != "nha_nuoc":
        return None
    set_text(p, p.text.replace(" - ", " – "))
    return "header.tieu_ngu.text"


def dieu_colon(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Điều \d+\. ")
    if p is None:
        return None
    set_text(p, re.sub(r"^(Điều \d+)\.", r"\1:", p.text))
    return "heading.dieu"


def title_not_bold(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^(TM\.|T/M|KT\.|K/T|TRƯỞNG BAN|CHỦ TỊCH|BÍ THƯ|PHÓ)")
    if p is None:
        return None
    for r in p.runs:
        r.font.bold = False
    return "weights.chu_ky_chuc_vu"


def can_cu_upright(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Căn cứ ")  # State căn cứ (italic); Party ones start with "- "
    if p is None or system != "nha_nuoc":
        return None
    for r in p.runs:
        r.font.italic = False
    return "can_cu.italic"


def luu_no_colon(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^- Lưu: ")
    if p is None:
        return None
    set_text(p, p.text.replace("Lưu: ", "Lưu ", 1))
    return "noi_nhan.luu"


def date_upright(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^[^,]+, ngày \d+ tháng \d+ năm \d{4}$")
    if p is None:
        return None
    for r in p.runs:
        r.font.italic = False
    return "weights.dia_danh_ngay"


def number_unpadded(doc: DocxDocument, system: str) -> str | None:
    p = find(doc, r"^Số:? 0\d[/-]")
    if p is None:
        return None
    set_text(p, re.sub(r"^(Số:? )0(\d)", r"\1\2", p.text))
    return "number.zero_pad"


def can_cu_no_semicolon(doc: DocxDocument, system: str) -> str | None:
    items = [p for p in paragraphs(doc) if re.match(r"^-?\s*Căn cứ", p.text)]
    if len(items) < 2 or not items[0].text.endswith(";"):
        return None
    set_text(items[0], items[0].text[:-1])
    return "can_cu.separator"


def noi_nhan_item_size(doc: DocxDocument, system: str) -> str | None:
    label = find(doc, r"^Nơi nhận")
    if label is None:
        return None
    nxt = label._p.getnext()
    if nxt is None or not Paragraph(nxt, label._parent).text.startswith("- "):
        return None
    for r in Paragraph(nxt, label._parent).runs:
        r.font.size = Pt(14)
    return "size.noi_nhan_item"


def khoan_mark(doc: DocxDocument, system: str) -> str | None:
    if find(doc, r"^Điều \d+\. ") is None:
        return None
    p = find(doc, r"^\d+[.-] ")
    if p is None:
        return None
    set_text(p, re.sub(r"^(\d+)[.-] ", r"\1) ", p.text))
    return "list.khoan"


def star_under_state(doc: DocxDocument, system: str) -> str | None:
    if system != "nha_nuoc" or find(doc, r"^\*$") is not None:
        return None
    head = doc.tables[0].cell(0, 0)
    if any(body_system(q.text) == "dang" for q in head.paragraphs):
        return None  # a Party body on a State-form page may keep its "*"
    rule = next((q for q in head.paragraphs if q._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None), None)
    if rule is None:
        return None
    star = rule.insert_paragraph_before("*")
    star.alignment = 1
    rule._p.getparent().remove(rule._p)
    return "header.co_quan.mark"


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


FLAWS: dict[str, Flaw] = {
    f.__name__: f
    for f in (
        wrong_font,
        body_12pt,
        motto_underscores,
        motto_underlined,
        number_spacing,
        date_unpadded,
        prefix_no_dot,
        party_prefix_in_state,
        missing_star,
        margin_left,
        paper_letter,
        noi_nhan_label,
        page_number_first,
        quoc_hieu_size,
        quoc_hieu_text,
        tieu_ngu_dash,
        dieu_colon,
        title_not_bold,
        can_cu_upright,
        luu_no_colon,
        date_upright,
        number_unpadded,
        can_cu_no_semicolon,
        noi_nhan_item_size,
        khoan_mark,
        star_under_state,
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
    )
}
FIXABLE = {
    "wrong_font",
    "body_12pt",
    "motto_underscores",
    "motto_underlined",
    "date_unpadded",
    "prefix_no_dot",
    "margin_left",
    "paper_letter",
    "noi_nhan_label",
    "page_number_first",
    "quoc_hieu_size",
    "noi_nhan_item_size",
    "body_left_aligned",
    "body_no_indent",
    "body_cramped",
    "body_double_spaced",
}

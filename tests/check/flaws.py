"""Flaws planted the way clerks make them: python-docx edits on a real quyche output. Each flaw takes the
opened document and the document's system ("nha_nuoc" or "dang" header) and returns the profile rule id
``quyche check`` must report, or None when the document has nothing to plant it on (no date line in a State
biên bản, no "TM." line …). ``FIXABLE`` flaws must be gone after ``--sua``."""

from __future__ import annotations

import re
from collections.abc import Callable

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx_edit import find, paragraphs, set_text
from flaws_more import MORE_FIXABLE, MORE_FLAWS

from quyche.check.detect import body_system
from quyche.render.docx_styles import role_of

Flaw = Callable[[DocxDocument, str], "str | None"]


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
    )
}
FLAWS.update(MORE_FLAWS)
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
} | MORE_FIXABLE

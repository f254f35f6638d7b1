"""Capitals and dashes (ND30-PL1 §II.3.b, §II.5, §II.9.d; Phụ lục II): the type name in capitals (``ten_loai``),
the trích yếu a sentence — its first letter a capital, not all capitals (``trich_yeu.case``; Party documents may
continue the type name: "QUY CHẾ" / "về phối hợp …"), the hyphen "-"
between the parts of the ký hiệu, never an en dash "–" (``number.ky_hieu``), each Nơi nhận item opened by a
hyphen "-" (``noi_nhan.item``), and so each item of a list in the body (``list.gach``: not "–", "•", "")."""

from __future__ import annotations

from .context import Context
from .detect import is_caps

DASHES = "–—"  # en and em dash: what Word's autocorrect makes of " - "
BULLETS = DASHES + "•●▪◦·\uf0b7\uf02d"  # and Word's bullet glyphs typed or pasted as text (Symbol font)


def check_words(c: Context) -> None:
    for ln in c.lines("ten_loai"):
        if c.has("ten_loai") and not is_caps(ln.text):
            c.find("ten_loai", f'Tên loại văn bản viết in hoa: "{ln.text.upper()}".', ln)
    title = c.lines("trich_yeu")
    if title and c.has("trich_yeu.case"):
        text = " ".join(ln.text for ln in title)
        first = next((ch for ch in text if ch.isalpha()), "")
        continues = str(c.profile.get("trich_yeu.case")) == "sentence_or_ve" and text.startswith("về ")
        if first and not first.isupper() and not continues:
            c.find("trich_yeu.case", "Trích yếu viết hoa chữ cái đầu.", title[0])
        elif len(text.split()) > 3 and is_caps(text):
            c.find("trich_yeu.case", "Trích yếu viết chữ in thường (chỉ viết hoa chữ cái đầu và tên riêng).", title[0])
    for ln in c.lines("so_ky_hieu"):
        if c.has("number.ky_hieu") and any(d in ln.text for d in DASHES):
            c.find("number.ky_hieu", 'Ký hiệu văn bản nối bằng gạch nối "-", không dùng gạch ngang "–".', ln)
    if c.has("noi_nhan.item"):
        for ln in c.lines("noi_nhan_muc"):
            if ln.text[:1] in DASHES:
                c.find("noi_nhan.item", 'Mỗi nơi nhận bắt đầu bằng gạch nối "-".', ln)
    if c.has("list.gach"):
        for ln in c.sheet.lines:
            if ln.zone == "body" and ln.role in ("doan", "khoan", "diem") and ln.text[:1] in BULLETS:
                c.find("list.gach", 'Mỗi ý liệt kê trong nội dung mở đầu bằng gạch nối "-" (ý cấp dưới: "+").', ln)

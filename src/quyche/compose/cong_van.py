"""Compose a công văn (NĐ 30/2020, Phụ lục III, Mẫu 1.5; HD 36 for Party bodies): no type name; the subject
under the number (ô 5b: State "V/v …" upright, Party "về việc …" italic — profile rules cong_van.*);
"Kính gửi:" (ô 9a); the body; Nơi nhận opening with "Như trên"."""

from __future__ import annotations

from ..model import Block, Document, Para, Run
from ..schema.cong_van import CongVan
from .the_thuc import Composer


def compose_cong_van(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, CongVan)
    p = c.profile
    text = doc.trich_yeu.rstrip(" .")
    subject = str(p.get("cong_van.trich_yeu")).format(trich_yeu=text, trich_yeu_thuong=text[:1].lower() + text[1:])
    under = Para(
        "trich_yeu_cong_van",
        [Run(subject, italic=bool(p.get("cong_van.trich_yeu.italic")))],
        float(p.get("size.trich_yeu_cong_van")),
        align="center",
        space_before_pt=6,  # ô 5b: centred under ô 3, 6 pt below the number (the-thuc §6 item 16)
    )
    blocks: list[Block] = [*c.kinh_gui(doc.kinh_gui)]
    blocks.extend(c.can_cu(doc.can_cu))
    for text in doc.doan:
        blocks.extend(c.paragraph(text))
    for i, k in enumerate(doc.khoan, start=1):
        blocks.extend(c.khoan(i, k.tieu_de, k.noi_dung, [d.noi_dung for d in k.diem], k.gach))
    for bang in doc.bang:
        blocks.extend(c.table(bang))
    if doc.loi_ket:
        blocks.extend(c.paragraph(doc.loi_ket))
    return c.finish(f"{c.number()} {subject}", "Công văn", blocks, under_number=[under])

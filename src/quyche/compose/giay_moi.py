"""Compose a giấy mời (NĐ 30/2020, Phụ lục III, Mẫu 1.7): "<cơ quan> trân trọng kính mời: …",
"Tới dự: …", "Chủ trì: …", "Thời gian: …" (weekday computed), "Địa điểm: …", notes, closing."""

from __future__ import annotations

from ..model import Block, Document, Run
from ..normalize import format_ngay, weekday_vi
from ..schema.giay_moi import GiayMoi
from .the_thuc import Composer


def compose_giay_moi(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, GiayMoi)
    p = c.profile
    host = doc.lead.ten or doc.lead.ma
    blocks: list[Block] = [*c.title()]
    if doc.kinh_moi:
        blocks.append(c.body("giay_moi_kinh_moi", [Run(f"{host} trân trọng kính mời: "), Run(doc.kinh_moi, bold=True)]))
    else:
        blocks.append(c.body("giay_moi_kinh_moi", [Run(f"{host} trân trọng kính mời:")]))
        for i, who in enumerate(doc.thanh_phan):
            end = "." if i == len(doc.thanh_phan) - 1 else ";"
            blocks.append(c.body("giay_moi_thanh_phan", [Run(f"- {who.rstrip(' ;.,')}{end}")]))

    bold = bool(p.get("giay_moi.nhan.dam"))  # Mẫu 1.7 prints the labels regular (ND30-PL3)

    def field(label: str, value: str) -> None:
        blocks.append(c.body("giay_moi_muc", [Run(f"{label}: ", bold=bold), Run(value.rstrip(" .") + ".")]))

    field("Tới dự", doc.su_kien)
    if doc.nguoi_chu_tri:
        field("Chủ trì", doc.nguoi_chu_tri)
    t = doc.thoi_gian
    time = p.get("time.format").format(gio=t.hour, phut=t.minute)
    when = f"{time}, {weekday_vi(t.date())}, {format_ngay(t.date())}"
    field("Thời gian", f"{doc.thoi_luong}, bắt đầu từ {when}" if doc.thoi_luong else when)
    field("Địa điểm", doc.dia_diem)
    for note in doc.ghi_chu:
        blocks.extend(c.paragraph(note))
    if doc.loi_ket:
        blocks.extend(c.paragraph(doc.loi_ket))
    return c.finish(f"GIẤY MỜI {doc.su_kien}", "Giấy mời", blocks)

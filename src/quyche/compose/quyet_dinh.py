"""Compose a quyết định ban hành (NĐ 30/2020, Phụ lục III, Mẫu 1.1–1.2): title and subject, the issuing
authority in upper case, căn cứ, "QUYẾT ĐỊNH:", Điều 1–n, signatures, Nơi nhận ("Như Điều 3"); then the
regulation it issues as its own section: the header without number or date, "QUY CHẾ" + subject +
"(Ban hành kèm theo Quyết định số … ngày … của …)", its chapters and the signature block again — one number
for the decision, none for the regulation."""

from __future__ import annotations

from ..model import Block, Document, Rule, Run, Section
from ..normalize import format_ngay, upper_vi
from ..schema.quyet_dinh import QuyetDinh
from .quy_che import chapters
from .the_thuc import Composer


def compose_quyet_dinh(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, QuyetDinh)
    p = c.profile
    size = p.size("chuong")
    blocks: list[Block] = [*c.title()]
    blocks.append(c.line("tham_quyen", upper_vi(doc.tham_quyen), size, bold=True, space_before=6))
    blocks.extend(c.can_cu(doc.can_cu))
    blocks.append(c.line("quyet_dinh", str(p.get("quyet_dinh.ban_hanh")), size, bold=True, space_before=12))
    blocks[-1].keep_with_next = True  # type: ignore[union-attr]
    for n, dieu in enumerate(doc.dieu, start=1):
        label = p.get("heading.dieu").format(so=n)
        heading = c.body("dieu", [Run(label + dieu.ten.rstrip(" ."), bold=True)])
        heading.keep_with_next = True
        blocks.append(heading)
        blocks.extend(c.content(dieu))
    attachments = [attachment(c, doc)] if doc.kem_theo else []
    ten_loai = blocks[0].text  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Quyết định", blocks, attachments=attachments)


def attachment(c: Composer, doc: QuyetDinh) -> Section:
    """The issued regulation: same page, header without ô 3 and ô 4 (it has no number of its own)."""
    assert doc.kem_theo is not None
    p = c.profile
    header = c.header(with_date=False)
    header.rows[1].cells[0].blocks = []  # no number: the regulation is identified by the decision's
    kem = str(p.get("quyet_dinh.kem_theo")).format(
        so_ky_hieu=c.ky_hieu_text(), ngay=format_ngay(doc.ngay), tham_quyen=doc.tham_quyen
    )
    blocks: list[Block] = [header]
    blocks.extend(c.title(doc.kem_theo.ten_loai, doc.kem_theo.trich_yeu)[:-1])  # the rule goes under the "kèm theo"
    blocks.append(c.line("kem_theo_quyet_dinh", kem, p.size("body"), italic=True))
    blocks.append(Rule("duong_ke_trich_yeu", 30.0, space_before_pt=3, space_after_pt=6))
    body = chapters(c, doc.kem_theo.chuong)
    c.close_body(body)
    blocks.extend(body)
    blocks.extend(c.attachment_signatures())
    return Section(blocks, c.page(), restart_numbering=True)

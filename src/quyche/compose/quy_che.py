"""Compose a quy chế phối hợp: title, căn cứ, preamble, Chương → (Mục →) Điều → khoản → điểm."""

from __future__ import annotations

from ..model import Block, Document, Run
from ..normalize import roman, upper_vi
from ..schema.quy_che import Chuong, Dieu, QuyChe
from .the_thuc import Composer


def compose_quy_che(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, QuyChe)
    blocks = c.opening()
    blocks.extend(chapters(c, doc.chuong))
    ten_loai = blocks[0].text if blocks else "QUY CHẾ"  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Quy chế", blocks)


def chapters(c: Composer, items: list[Chuong]) -> list[Block]:
    """Chương → (Mục →) Điều → khoản → điểm, articles numbered through the whole text (ND30-PL1 §II.6.đ);
    also the regulation a decision issues (quyet_dinh.py)."""
    p = c.profile
    blocks: list[Block] = []
    n_dieu = 0
    size = p.size("chuong")

    def heading(role: str, label: str, title: str) -> None:
        # "Chương I" on its own line, centred, bold; title below, UPPER, bold (ND30-PL1 §II.6.đ)
        blocks.append(c.line(role, label, size, bold=True, space_before=12))
        blocks.append(c.line(role + "_ten", upper_vi(title), size, bold=True))
        blocks[-2].keep_with_next = blocks[-1].keep_with_next = True  # type: ignore[union-attr]

    def add_dieu(dieu: Dieu) -> None:
        nonlocal n_dieu
        n_dieu += 1
        label = p.get("heading.dieu").format(so=n_dieu)
        blocks.append(c.body("dieu", [Run(label + dieu.ten.rstrip(" ."), bold=True)]))
        blocks[-1].keep_with_next = True  # type: ignore[union-attr]  # never a lone "Điều" at a page foot
        blocks.extend(c.content(dieu))

    for i, chuong in enumerate(items, start=1):
        heading("chuong", p.get("heading.chuong").format(so=roman(i)), chuong.ten)
        for dieu in chuong.dieu:
            add_dieu(dieu)
        for j, muc in enumerate(chuong.muc, start=1):
            heading("muc", p.get("heading.muc").format(so=j), muc.ten)
            for dieu in muc.dieu:
                add_dieu(dieu)
    return blocks

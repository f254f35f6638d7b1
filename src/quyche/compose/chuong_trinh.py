"""Compose a chương trình phối hợp: title, căn cứ, preamble, parts "I. …" with items (ND30-PL1 §II.6.đ:
documents without Điều use Roman numeral + "." + UPPER title, bold; Party practice "I- ")."""

from __future__ import annotations

from ..model import Document, Run
from ..normalize import roman, upper_vi
from ..schema.chuong_trinh import ChuongTrinh
from .the_thuc import Composer


def compose_chuong_trinh(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, ChuongTrinh)
    p = c.profile
    blocks = c.opening()
    for i, phan in enumerate(doc.phan, start=1):
        label = p.get("heading.phan_la_ma").format(so=roman(i))
        blocks.append(c.body("phan", [Run(label + upper_vi(phan.ten), bold=True)]))
        blocks[-1].keep_with_next = True  # type: ignore[union-attr]
        blocks.extend(c.content(phan))
    ten_loai = blocks[0].text  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Chương trình", blocks)

"""Compose a báo cáo (sơ kết, tổng kết) and a thông báo (kết luận): title, optional "Kính gửi" (a report to
a superior, ND30-PL1 §II.9.b), preamble, parts "I. …" or paragraphs, closing line."""

from __future__ import annotations

from ..model import Block, Document
from ..schema.bao_cao import BaoCao
from ..schema.thong_bao import ThongBao
from .phan import parts
from .the_thuc import Composer


def compose_bao_cao(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, BaoCao)
    blocks: list[Block] = [*c.title()]
    if doc.kinh_gui:
        blocks.extend(c.kinh_gui(doc.kinh_gui))
    blocks.extend(c.can_cu(doc.can_cu))
    if doc.mo_dau:
        blocks.extend(c.paragraph(doc.mo_dau))
    blocks.extend(parts(c, doc.phan))
    ten_loai = blocks[0].text  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Báo cáo", blocks)


def compose_thong_bao(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, ThongBao)
    blocks = c.opening()
    for text in doc.doan:
        blocks.extend(c.paragraph(text))
    blocks.extend(parts(c, doc.phan))
    if doc.loi_ket:
        blocks.extend(c.paragraph(doc.loi_ket))
    ten_loai = blocks[0].text  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Thông báo", blocks)

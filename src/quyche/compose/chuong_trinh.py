"""Compose a chương trình phối hợp: title, căn cứ, preamble, parts "I. …" with items (phan.py)."""

from __future__ import annotations

from ..model import Document
from ..schema.chuong_trinh import ChuongTrinh
from .phan import parts
from .the_thuc import Composer


def compose_chuong_trinh(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, ChuongTrinh)
    blocks = c.opening()
    blocks.extend(parts(c, doc.phan))
    ten_loai = blocks[0].text  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Chương trình", blocks)

"""Stage 4 — compose: a validated document + its profile → the format-neutral model (model.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Document
from ..schema.van_ban import VanBan
from ..source import SourceMap
from .chuong_trinh import compose_chuong_trinh
from .giay_moi import compose_giay_moi
from .quy_che import compose_quy_che
from .the_thuc import Composer, profile_for

COMPOSERS: dict[str, Callable[[Composer], Document]] = {
    "quy_che": compose_quy_che,
    "chuong_trinh": compose_chuong_trinh,
    "giay_moi": compose_giay_moi,
}


def compose(doc: VanBan, smap: SourceMap, base_dir: Path | None = None) -> Document:
    profile = profile_for(doc, smap, base_dir)
    return COMPOSERS[doc.loai](Composer(doc, profile, base_dir))

"""Stage 4 — compose: a validated document + its profile → the format-neutral model (model.py)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from ..model import Document
from ..schema.van_ban import VanBan
from ..source import SourceMap
from .the_thuc import Composer, profile_for

# "loai" → (module, function); imported on first use like the schema models.
COMPOSERS: dict[str, tuple[str, str]] = {
    "quy_che": ("quyche.compose.quy_che", "compose_quy_che"),
    "chuong_trinh": ("quyche.compose.chuong_trinh", "compose_chuong_trinh"),
    "giay_moi": ("quyche.compose.giay_moi", "compose_giay_moi"),
}


def compose(doc: VanBan, smap: SourceMap, base_dir: Path | None = None) -> Document:
    profile = profile_for(doc, smap, base_dir)
    module, name = COMPOSERS[doc.loai]
    return getattr(import_module(module), name)(Composer(doc, profile, base_dir))

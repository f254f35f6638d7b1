"""Stage 4 — compose: a validated document + its profile → the format-neutral model (model.py)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from ..errors import Diagnostic
from ..model import Document
from ..schema.van_ban import VanBan
from ..source import SourceMap
from .the_thuc import Composer, profile_for
from .tuy_chinh import CHECKED_KINDS, refuse_form_switch, refuse_unused

# "loai" → (module, function); imported on first use like the schema models.
COMPOSERS: dict[str, tuple[str, str]] = {
    "quy_che": ("quyche.compose.quy_che", "compose_quy_che"),
    "chuong_trinh": ("quyche.compose.chuong_trinh", "compose_chuong_trinh"),
    "giay_moi": ("quyche.compose.giay_moi", "compose_giay_moi"),
    "bien_ban": ("quyche.compose.bien_ban", "compose_bien_ban"),
    "ke_hoach": ("quyche.compose.ke_hoach", "compose_ke_hoach"),
    "quyet_dinh": ("quyche.compose.quyet_dinh", "compose_quyet_dinh"),
    "bao_cao": ("quyche.compose.bao_cao", "compose_bao_cao"),
    "thong_bao": ("quyche.compose.bao_cao", "compose_thong_bao"),
    "cong_van": ("quyche.compose.cong_van", "compose_cong_van"),
}
# A kind's own default profile per system (the-thuc "One profile per regulation"): Party minutes follow
# Hướng dẫn 16-HD/VPTW (hd16-2023, which extends hd36-2018); State minutes stay on nd30-2020 (Mẫu 1.9).
KIND_PROFILES: dict[str, dict[str, str]] = {"bien_ban": {"dang": "hd16-2023"}}


def compose(
    doc: VanBan, smap: SourceMap, base_dir: Path | None = None, warnings: list[Diagnostic] | None = None
) -> Document:
    """The composed document; layout findings that do not stop it (a header line too wide for its cell)
    are appended to ``warnings``."""
    profile = profile_for(doc, smap, base_dir, KIND_PROFILES.get(doc.loai))
    checked = doc.loai in CHECKED_KINDS
    if checked:  # settings must take effect or be refused (tuy_chinh.py)
        refuse_form_switch(doc, smap)
        profile = profile.tracking()
    module, name = COMPOSERS[doc.loai]
    found: list[Diagnostic] = []
    document = getattr(import_module(module), name)(Composer(doc, profile, base_dir, smap, found))
    if checked:
        refuse_unused(doc, profile, smap)
    if warnings is not None:
        warnings.extend(found)
    return document

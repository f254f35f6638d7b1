"""Stage 2 — validate: raw data → a typed model of one document kind, every problem located."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Diagnostic, DiagnosticError, DiagnosticList
from ..source import Source
from .common import pydantic_diagnostics
from .van_ban import VanBan, check_van_ban

# Document kinds: "loai" → (module, model class). Imported on first use, so that validating one kind
# does not pay for building the models of the others (start-up time of `quyche validate`).
KINDS: dict[str, tuple[str, str]] = {
    "quy_che": ("quyche.schema.quy_che", "QuyChe"),
    "chuong_trinh": ("quyche.schema.chuong_trinh", "ChuongTrinh"),
    "giay_moi": ("quyche.schema.giay_moi", "GiayMoi"),
    "bien_ban": ("quyche.schema.bien_ban", "BienBan"),
    "ke_hoach": ("quyche.schema.ke_hoach", "KeHoach"),
    "quyet_dinh": ("quyche.schema.quyet_dinh", "QuyetDinh"),
    "bao_cao": ("quyche.schema.bao_cao", "BaoCao"),
    "thong_bao": ("quyche.schema.thong_bao", "ThongBao"),
    "cong_van": ("quyche.schema.cong_van", "CongVan"),
}


def model_for(kind: str) -> type[VanBan]:
    module, name = KINDS[kind]
    return getattr(import_module(module), name)


def validate_data(
    data: dict[str, Any], source: Source, prior: list[Diagnostic] | None = None
) -> tuple[VanBan, list[Diagnostic]]:
    diags = DiagnosticList()
    diags.extend(prior or [])
    smap = source.source_map
    kind = data.get("loai")
    if not isinstance(kind, str) or kind not in KINDS:
        if kind is None:
            diags.add(Diagnostic.make("thieu-truong", smap.locate(()), field="loai", parent="văn bản"))
        elif not isinstance(kind, str):
            diags.add(Diagnostic.make("sai-kieu", smap.locate(("loai",)), field="loai", detail="cần một chuỗi ký tự"))
        else:
            diags.add(
                Diagnostic.make("loai-khong-ho-tro", smap.locate(("loai",)), value=kind, choices=", ".join(KINDS))
            )
        raise DiagnosticError(diags.items, source.text)
    model = model_for(kind)
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        diags.extend(pydantic_diagnostics(exc, smap, model))
        raise DiagnosticError(diags.items, source.text) from None
    diags.extend(check_van_ban(doc, data, smap, Path(source.path)))
    if diags.errors:
        raise DiagnosticError(diags.items, source.text)
    return doc, diags.items

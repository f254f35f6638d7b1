"""Stage 2 — validate: raw data → a typed model of one document kind, every problem located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Diagnostic, DiagnosticError, DiagnosticList
from ..source import Source
from .chuong_trinh import ChuongTrinh
from .common import pydantic_diagnostics
from .giay_moi import GiayMoi
from .quy_che import QuyChe
from .van_ban import VanBan, check_van_ban

KINDS: dict[str, type[VanBan]] = {"quy_che": QuyChe, "chuong_trinh": ChuongTrinh, "giay_moi": GiayMoi}


def validate_data(
    data: dict[str, Any], source: Source, prior: list[Diagnostic] | None = None
) -> tuple[VanBan, list[Diagnostic]]:
    diags = DiagnosticList()
    diags.extend(prior or [])
    smap = source.source_map
    kind = data.get("loai")
    if kind not in KINDS:
        if kind is None:
            diags.add(Diagnostic.make("thieu-truong", smap.locate(()), field="loai", parent="văn bản"))
        else:
            diags.add(
                Diagnostic.make("loai-khong-ho-tro", smap.locate(("loai",)), value=kind, choices=", ".join(KINDS))
            )
        raise DiagnosticError(diags.items, source.text)
    model = KINDS[kind]
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        diags.extend(pydantic_diagnostics(exc, smap, model))
        raise DiagnosticError(diags.items, source.text) from None
    diags.extend(check_van_ban(doc, data, smap, Path(source.path)))
    if diags.errors:
        raise DiagnosticError(diags.items, source.text)
    return doc, diags.items

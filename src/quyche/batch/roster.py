"""The roster (danh mục cơ quan) of a batch: YAML, CSV or XLSX rows → CoQuan versions with their positions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Diagnostic, DiagnosticError, DiagnosticList, Location
from ..normalize import normalize_tree
from ..schema.common import CoQuan, pydantic_diagnostics
from ..source import PathKey, SourceMap, load_source, load_table

_TRUE = {"1", "x", "có", "co", "true", "yes", "kt", "ky thay", "ký thay"}


def _graft(src: SourceMap, src_prefix: PathKey, dst: SourceMap, dst_prefix: PathKey) -> None:
    """Copy the positions under ``src_prefix`` to ``dst_prefix`` (locating generated data in the batch file)."""
    n = len(src_prefix)
    for table_src, table_dst in ((src.values, dst.values), (src.keys, dst.keys)):
        for path, pos in table_src.items():
            if path[:n] == src_prefix:
                table_dst[(*dst_prefix, *path[n:])] = pos


def _roster_rows(path: Path, batch_smap: SourceMap) -> tuple[list[dict[str, Any]], SourceMap, str]:
    """Rows of a roster in YAML (``co_quan:`` list), CSV or XLSX, with positions in that file."""
    if not path.is_file():
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "danh-muc-khong-doc-duoc",
                    batch_smap.locate(("danh_muc",)),
                    path=str(path),
                    detail="không có tệp này",
                )
            ]
        )
    if path.suffix.lower() in (".csv", ".xlsx", ".txt"):
        rows, smap = load_table(path)
        return rows, smap, "table"
    src = load_source(path)
    data, diags = normalize_tree(src.data, src.source_map)
    if any(d.is_error for d in diags):
        raise DiagnosticError(diags)
    rows = data.get("co_quan") or []
    shifted = SourceMap(src.source_map.file)
    _graft(src.source_map, ("co_quan",), shifted, ())
    return rows, shifted, "yaml"


def _table_row_to_body(row: dict[str, Any]) -> dict[str, Any]:
    """A flat roster row (CSV/XLSX) → the fields of CoQuan. Columns: ma, he_thong, ten, ten_dau_trang
    (lines separated by "|"), cap_tren, viet_tat, chuc_vu_truong, chuc_vu_pho, nguoi_ky, thay_mat, ky_thay
    (x = the deputy signs "KT."/"K/T"), hieu_luc_tu."""
    out: dict[str, Any] = {}
    for key in ("ma", "he_thong", "ten", "viet_tat", "chuc_vu_truong", "chuc_vu_pho", "ghi_chu", "the_thuc"):
        if key in row:
            out[key] = str(row[key])
    for key in ("ten_dau_trang", "cap_tren"):
        if key in row:
            out[key] = [x.strip() for x in str(row[key]).split("|") if x.strip()]
    if "hieu_luc_tu" in row:
        value = row["hieu_luc_tu"]
        out["hieu_luc_tu"] = value.date() if isinstance(value, dt.datetime) else value
    if row.get("nguoi_ky"):
        deputy = str(row.get("ky_thay", "")).strip().lower() in _TRUE
        signer: dict[str, Any] = {"ho_ten": str(row["nguoi_ky"])}
        if row.get("thay_mat"):
            signer["thay_mat"] = str(row["thay_mat"])
        if deputy:
            signer["ky_thay"] = str(row.get("chuc_vu_truong", ""))
            signer["chuc_vu"] = [str(row.get("chuc_vu_pho", ""))]
        else:
            signer["chuc_vu"] = [str(row.get("chuc_vu_truong", ""))]
        out["nguoi_ky"] = signer
    return out


def load_roster_versions(
    path: Path, batch_smap: SourceMap
) -> tuple[dict[str, list[tuple[CoQuan, Location]]], list[Diagnostic]]:
    rows, smap, kind = _roster_rows(path, batch_smap)
    diags = DiagnosticList()
    out: dict[str, list[tuple[CoQuan, Location]]] = {}
    for i, row in enumerate(rows):
        data = _table_row_to_body(row) if kind == "table" else row
        data, text_diags = normalize_tree(data, _Shift(smap, (i,)))
        diags.extend(text_diags)
        try:
            body = CoQuan.model_validate(data)
        except ValidationError as exc:
            diags.extend(pydantic_diagnostics(exc, smap, CoQuan, (i,)))
            continue
        out.setdefault(body.ma, []).append((body, smap.locate((i,))))
    return out, diags.items


class _Shift(SourceMap):
    """A view of a source map under a prefix (for cleaning one roster row)."""

    def __init__(self, base: SourceMap, prefix: PathKey) -> None:
        super().__init__(base.file, base.values, base.keys)
        self.prefix = prefix

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        return super().locate((*self.prefix, *path), key=key)


def pick_version(versions: list[tuple[CoQuan, Location]], on: dt.date) -> tuple[CoQuan, Location] | None:
    """The roster entry in force on ``on``: the latest ``hieu_luc_tu`` not after it (2025 renames, mergers)."""
    valid = [(b, loc) for b, loc in versions if b.hieu_luc_tu is None or b.hieu_luc_tu <= on]
    if not valid:
        return None
    return max(valid, key=lambda v: v[0].hieu_luc_tu or dt.date.min)

"""The batch's records in its output folder: manifest (JSON + CSV) and the clerk's summary list."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..cells import as_text, text_row
from ..output import atomic_write
from .plan import Plan


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


MANIFEST_FIELDS = ["id", "loai", "doi_tac", "so", "so_ky_hieu", "input_sha256", "tep", "tep_sha256", "trang_thai"]


def _write_manifest(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    rows = [entries[k] for k in sorted(entries)]
    atomic_write(path, (json.dumps({"quyche": __version__, "muc": rows}, ensure_ascii=False, indent=1) + "\n").encode())
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        files = row.get("outputs", {})
        cells = {
            **row,
            "tep": ";".join(v["path"] for v in files.values()),
            "tep_sha256": ";".join(v["sha256"] for v in files.values()),
        }
        writer.writerow({k: as_text(cells.get(k)) for k in MANIFEST_FIELDS})  # never a formula (cells.py)
    atomic_write(path.with_suffix(".csv"), buf.getvalue().encode("utf-8-sig"))


def _read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {row["id"]: row for row in data.get("muc", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_summary(out: Path, plan: Plan, entries: dict[str, dict[str, Any]]) -> None:
    """The summary list (danh sách văn bản của bộ), one line per document, for the clerk."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["TT", "Cơ quan phối hợp", "Loại", "Số, ký hiệu", "Tệp", "Trạng thái"])
    for i, row in enumerate(sorted(entries.values(), key=lambda r: (r.get("doi_tac", ""), r.get("loai", ""))), 1):
        files = ", ".join(v["path"] for v in row.get("outputs", {}).values())
        writer.writerow(
            text_row([i, row.get("doi_tac"), row.get("loai"), row.get("so_ky_hieu", ""), files, row.get("trang_thai")])
        )
    atomic_write(out / "danh-sach.csv", buf.getvalue().encode("utf-8-sig"))

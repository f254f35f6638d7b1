"""The batch journal: what a worker is about to put in the output folder, written before the final rename.

A worker renders a document, writes it to a temporary sibling and fsyncs it, appends ``{id, fmt, sha256}`` to
``.quyche-nhat-ky.jsonl`` (fsynced), and only then renames the file into place. So after any crash — Ctrl-C,
SIGKILL of the parent or of a worker, a full disk — every file in the folder either carries a hash that quyche
recorded (manifest or journal) and is quyche's own, or it was changed by someone else and is a hand edit to keep.
A line torn by a kill is skipped: each record starts and ends with a newline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

JOURNAL = ".quyche-nhat-ky.jsonl"


def append(path: Path, record: dict[str, Any]) -> None:
    line = ("\n" + json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)  # one write with O_APPEND: records of parallel workers never interleave
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path) -> dict[tuple[str, str], set[str]]:
    """``{(item id, format): {sha256, …}}`` of every whole record."""
    known: dict[tuple[str, str], set[str]] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return known
    for line in text.splitlines():
        try:
            rec = json.loads(line)
            known.setdefault((str(rec["id"]), str(rec["fmt"])), set()).add(str(rec["sha256"]))
        except (ValueError, KeyError, TypeError):
            continue
    return known


def compact(path: Path, entries: dict[str, dict[str, Any]], on_disk: dict[tuple[str, str], str | None]) -> None:
    """Keep only what the manifest does not cover: a file on disk that a worker wrote but the parent never
    recorded. ``on_disk`` is the hash of each item's file now."""
    from ..output import atomic_write

    keep = []
    for (item_id, fmt), shas in read(path).items():
        recorded = entries.get(item_id, {}).get("outputs", {}).get(fmt, {})
        current = on_disk.get((item_id, fmt))
        if current in shas and current != recorded.get("sha256"):
            keep.append({"id": item_id, "fmt": fmt, "sha256": current})
    if not keep:
        path.unlink(missing_ok=True)
        return
    text = "".join("\n" + json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in keep)
    atomic_write(path, text.encode())

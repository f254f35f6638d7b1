"""Stage 6 — output: atomic writes inside an output folder, never outside it.

A file is written to a temporary sibling and moved into place with os.replace, so a reader (or a
crash, or Ctrl-C) never sees half a document. Output names are derived from input names and checked
so that nothing escapes the output folder (no "..", no absolute paths, no reserved names).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class OutputError(Exception):
    pass


def safe_name(stem: str) -> str:
    """A file name that is safe on every file system; raises OutputError if nothing usable remains."""
    name = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "-", stem).strip(" .")
    if not name or name in (".", "..") or name.upper().split(".")[0] in _RESERVED:
        raise OutputError(f"tên tệp không hợp lệ: {stem!r}")
    return name[:150]


def target_path(out_dir: Path, name: str) -> Path:
    """``out_dir/name``, refusing any name that would resolve outside ``out_dir``."""
    if "\x00" in name or os.path.isabs(name) or Path(name).drive:
        raise OutputError(f"đường dẫn ra ngoài thư mục kết quả: {name!r}")
    base = out_dir.resolve()
    target = (base / name).resolve()
    if target.parent != base and base not in target.parents:
        raise OutputError(f"đường dẫn ra ngoài thư mục kết quả: {name!r}")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, before_replace: Callable[[], None] | None = None) -> None:
    """Write ``data`` to a temporary sibling, fsync, then rename over ``path``. ``before_replace`` runs between
    the two (a batch journals the file's hash there, so that after any crash a file on disk is known as its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; a document is an ordinary file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise

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


NAME_MAX = 255  # bytes per file name on ext4, XFS, btrfs, APFS; NTFS counts 255 UTF-16 units
_STEM_MAX = NAME_MAX - 10  # room for ".docx", ".pdf", ".json"


class OutputError(Exception):
    pass


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` UTF-8 bytes, at a character boundary."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", "ignore").rstrip(" .")


def safe_name(stem: str) -> str:
    """A file name that is safe on every file system; raises OutputError if nothing usable remains."""
    name = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "-", stem).strip(" .")
    if not name or name in (".", "..") or name.upper().split(".")[0] in _RESERVED:
        raise OutputError(f"tên tệp không hợp lệ: {stem!r}")
    # A Vietnamese letter takes 2–3 bytes in UTF-8: the limit is in bytes, not characters.
    return _cut_bytes(name, _STEM_MAX)


def target_path(out_dir: Path, name: str) -> Path:
    """``out_dir/name``, refusing any name that would resolve outside ``out_dir``."""
    if "\x00" in name or os.path.isabs(name) or Path(name).drive:
        raise OutputError(f"đường dẫn ra ngoài thư mục kết quả: {name!r}")
    base = out_dir.resolve()
    joined = base / name
    parent = joined.parent.resolve()  # folders may be links inside the output folder; the file may not
    target = parent / joined.name
    if not joined.name or joined.name in (".", "..") or (parent != base and base not in parent.parents):
        raise OutputError(f"đường dẫn ra ngoài thư mục kết quả: {name!r}")
    if target.is_symlink():
        raise OutputError(f"tệp kết quả {name!r} là một liên kết tượng trưng; không ghi qua liên kết")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, before_replace: Callable[[], None] | None = None) -> None:
    """Write ``data`` to a temporary sibling, fsync, then rename over ``path``. ``before_replace`` runs between
    the two (a batch journals the file's hash there, so that after any crash a file on disk is known as its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # ".<name>.XXXXXXXX.tmp" must fit NAME_MAX too: the name part is shortened, never the target's.
    prefix = "." + _cut_bytes(path.name, NAME_MAX - 24) + "."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; a document is an ordinary file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        if path.is_symlink():  # appeared since target_path: never write through a link (O_NOFOLLOW rule)
            raise OutputError(f"tệp kết quả {path.name!r} là một liên kết tượng trưng; không ghi qua liên kết")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise

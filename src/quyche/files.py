"""Opening a file that an input names (a roster, an image, a template): confined, regular, bounded.

A document may name other files (``danh_muc``; a batch its roster; the command line a Word template or
a signature image). Such a name is data from whoever wrote the document, so (docs/reliability.md):
- it is resolved (symlinks followed) and must lie inside the document's project folder — the
  document's folder or the folder above it (the ``bo/`` + ``co-quan/`` layout) — or a folder listed in
  ``QUYCHE_THU_MUC_CHO_PHEP`` (separated by ``os.pathsep``); never under /proc, /sys or /dev, never in
  a hidden folder or file (``~/.ssh``, ``.git``);
- it must be a regular file: checked with ``os.stat`` before opening and with ``fstat`` after an
  ``O_NONBLOCK`` open, so a FIFO cannot hang and a device cannot stream gigabytes;
- it is read up to its budget and no further;
- errors name the file and the reason, never its content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import budget

ALLOW_ENV = "QUYCHE_THU_MUC_CHO_PHEP"
_NEVER = (Path("/proc"), Path("/sys"), Path("/dev"))


class InputFileError(Exception):
    """A named file refused or unreadable; ``code`` is a diagnostic code of docs/errors.md."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def allowed_roots(base_dir: Path | None) -> list[Path]:
    roots: list[Path] = []
    if base_dir is not None:
        here = base_dir.resolve()
        roots.append(here)
        if here.parent != here.parent.parent:  # never the file system root itself
            roots.append(here.parent)
    for entry in os.environ.get(ALLOW_ENV, "").split(os.pathsep):
        if entry.strip():
            roots.append(Path(entry.strip()).expanduser().resolve())
    return roots


def resolve_named(base_dir: Path | None, ref: str | os.PathLike[str], what: str) -> Path:
    """The file ``ref`` (relative to ``base_dir``) resolved and confined; raises InputFileError."""
    text = os.fspath(ref)
    if "\x00" in text or not text.strip():
        raise InputFileError("duong-dan-khong-hop-le", f"{what}: tên tệp không hợp lệ")
    raw = Path(text).expanduser()
    joined = raw if raw.is_absolute() or base_dir is None else base_dir / raw
    try:
        target = joined.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        raise InputFileError("duong-dan-khong-hop-le", f"{what} {text!r}: vòng liên kết tượng trưng") from None
    if any(_inside(target, bad) for bad in _NEVER):
        raise InputFileError("duong-dan-ngoai-thu-muc", f"{what} {text!r}: không đọc tệp hệ thống")
    roots = [root for root in allowed_roots(base_dir) if _inside(target, root)]
    if not roots:
        raise InputFileError(
            "duong-dan-ngoai-thu-muc",
            f"{what} {text!r} nằm ngoài thư mục của văn bản (thêm thư mục vào {ALLOW_ENV} nếu cần)",
        )
    # Hidden folders and files (~/.ssh, ~/.config, .git) are never a document's data, even inside its tree.
    if all(any(part.startswith(".") for part in target.relative_to(root).parts) for root in roots):
        raise InputFileError("duong-dan-ngoai-thu-muc", f"{what} {text!r} nằm trong thư mục ẩn")
    return target


def read_bounded(path: Path, limit_key: str, what: str) -> bytes:
    """The bytes of a regular file, at most ``budget.limit(limit_key)``; raises InputFileError."""
    cap = budget.limit(limit_key)
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputFileError("tep-khong-doc-duoc", f"{what} {name}: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError("tep-khong-thuong", f"{what} {name} không phải tệp thường (thiết bị, FIFO hay thư mục)")
    if st.st_size > cap:
        raise InputFileError("tep-qua-lon", f"{what} {name}: {st.st_size} byte > {budget.human(cap, 'byte')}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputFileError("tep-khong-doc-duoc", f"{what} {name}: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
            raise InputFileError("tep-khong-thuong", f"{what} {name} không phải tệp thường")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:
                raise InputFileError("tep-qua-lon", f"{what} {name}: hơn {budget.human(cap, 'byte')}")
    except OSError as exc:
        raise InputFileError("tep-khong-doc-duoc", f"{what} {name}: {exc.strerror}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def check_regular(path: Path, limit_key: str, what: str) -> int:
    """Stat-only check (for files a library opens itself): regular and within budget; returns the size."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputFileError("tep-khong-doc-duoc", f"{what} {path}: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError("tep-khong-thuong", f"{what} {path} không phải tệp thường (thiết bị, FIFO hay thư mục)")
    cap = budget.limit(limit_key)
    if st.st_size > cap:
        raise InputFileError("tep-qua-lon", f"{what} {path}: {st.st_size} byte > {budget.human(cap, 'byte')}")
    return st.st_size

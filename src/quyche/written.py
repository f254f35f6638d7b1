"""What quyche wrote in an output folder, so that a file changed since — a clerk's edit in Word — is never
written over without ``--force`` (the same promise as the batch manifest).

``.quyche-da-ghi.json`` holds, per file name, the SHA-256 of what quyche wrote. The new hash is recorded
*before* the final rename (output.atomic_write's hook), so a crash between the two never turns quyche's own file
into a "hand edit". A file whose hash was never recorded — written by someone else, or by a quyche older than
this record — counts as changed: keeping it is the safe side. Updates are serialised by a lock on the folder
(POSIX flock).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from .output import OutputError, atomic_write

STATE = ".quyche-da-ghi.json"


class HandEdited(OutputError):
    """Files changed since quyche wrote them; nothing of this document was written."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        super().__init__(", ".join(str(p) for p in paths))


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


class Written:
    """The record of one folder, inside its lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / STATE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.files: dict[str, list[str]] = {str(k): [str(s) for s in v] for k, v in data["tep"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.files = {}

    def changed(self, target: Path) -> bool:
        """The file exists and holds bytes quyche did not write."""
        sha = sha256_of(target)
        return sha is not None and sha not in self.files.get(target.name, [])

    def write(self, target: Path, data: bytes) -> None:
        """Write ``target`` atomically, its hash recorded before the rename; afterwards only that hash is kept."""
        sha = hashlib.sha256(data).hexdigest()

        def journal() -> None:
            self.files.setdefault(target.name, []).append(sha)
            self._save()

        atomic_write(target, data, before_replace=journal)
        self.files[target.name] = [sha]
        self._save()

    def _save(self) -> None:
        text = json.dumps({"tep": self.files}, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        atomic_write(self.path, text.encode())


@contextlib.contextmanager
def folder(out: Path) -> Iterator[Written]:
    out.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: one writer at a time is the user's care
        yield Written(out)
        return
    fd = os.open(out, os.O_RDONLY)  # the folder itself is the lock: nothing extra is created in it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield Written(out)
    finally:
        os.close(fd)  # releases the lock

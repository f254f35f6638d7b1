"""The served folder: every path a request names is resolved inside it or refused.

Confinement rules (a user sees only the workspace): relative paths only; no component starting with "."
(the workspace's own ``.quyche/`` holds accounts and the register); the resolved path, symlinks followed,
stays under the folder's resolved root; documents are ``.yaml``/``.yml`` files. Writes are atomic
(``output.atomic_write``) and limited to the source size budget of ``budget.limit("yaml_bytes")``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import budget
from ..output import atomic_write

DOC_SUFFIXES = (".yaml", ".yml")
CONFIG_DIR = ".quyche"  # accounts, the register: never served


class PathRefused(Exception):
    """A path outside the workspace, hidden, or of the wrong kind (HTTP 4xx)."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> Workspace:
        root = Path(folder).resolve()
        if not root.is_dir():
            raise PathRefused(f"không có thư mục {folder}")
        return cls(root)

    @property
    def config_dir(self) -> Path:
        return self.root / CONFIG_DIR

    def resolve(self, rel: str, *, suffixes: tuple[str, ...] = DOC_SUFFIXES, must_exist: bool = True) -> Path:
        """``rel`` ("bo/tien-lu-2019.yaml") → an absolute path inside the workspace, or PathRefused."""
        if not rel or "\x00" in rel or "\\" in rel:
            raise PathRefused("đường dẫn không hợp lệ", 400)
        pure = PurePosixPath(rel)
        if pure.is_absolute() or any(part in ("..", "") or part.startswith(".") for part in pure.parts):
            raise PathRefused("đường dẫn ra ngoài thư mục làm việc", 403)
        if suffixes and pure.suffix.lower() not in suffixes:
            raise PathRefused(f"chỉ mở được tệp {', '.join(suffixes)}", 400)
        path = self.root.joinpath(*pure.parts)
        real = path.resolve()  # symlinks followed: a link out of the workspace is refused below
        if not real.is_relative_to(self.root):
            raise PathRefused("đường dẫn ra ngoài thư mục làm việc", 403)
        if must_exist and not real.is_file():
            raise PathRefused(f"không có tệp {rel}", 404)
        if not must_exist:  # a new file may open new folders, under an existing one inside the workspace
            folder = path.parent
            while not folder.exists():
                folder = folder.parent
            if not folder.is_dir() or not folder.resolve().is_relative_to(self.root):
                raise PathRefused("đường dẫn ra ngoài thư mục làm việc", 403)
        return path

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def documents(self) -> list[str]:
        """Every YAML file of the workspace (hidden folders and links out of it skipped), sorted."""
        found: list[str] = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(DOC_SUFFIXES):
                    continue
                rel = self.relative(Path(folder) / name)
                try:
                    self.resolve(rel)
                except PathRefused:
                    continue
                found.append(rel)
        return found

    def read(self, rel: str) -> str:
        path = self.resolve(rel)
        if path.stat().st_size > budget.limit("yaml_bytes"):
            raise PathRefused(f"tệp lớn hơn {budget.limit('yaml_bytes')} byte", 413)
        return path.read_text(encoding="utf-8-sig")

    def save(self, rel: str, text: str, *, new: bool = False) -> Path:
        """Write a document atomically; ``new`` refuses to overwrite an existing file."""
        data = text.encode("utf-8")
        if len(data) > budget.limit("yaml_bytes"):
            raise PathRefused(f"văn bản lớn hơn {budget.limit('yaml_bytes')} byte", 413)
        path = self.resolve(rel, must_exist=False)
        if new and path.exists():
            raise PathRefused(f"đã có tệp {rel}", 409)
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise PathRefused("không ghi vào liên kết hay thư mục", 403)
        atomic_write(path, data)
        return path

    def inside(self, path: Path) -> bool:
        """Whether a path some document names (a roster) stays in the workspace, symlinks followed."""
        return path.resolve().is_relative_to(self.root)

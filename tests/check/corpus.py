"""The documents the checker is proven on, made once per test session in a temporary folder: every example in
data/ rendered by quyche (.docx and PDF), and the LibreOffice-authored corpus converted by soffice."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from lo_corpus import build, corpus

import quyche

from conftest import example_files

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REQUIRE_LO = os.environ.get("QUYCHE_REQUIRE_LIBREOFFICE") == "1"


@lru_cache(maxsize=1)
def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="quyche-check-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@lru_cache(maxsize=1)
def rendered() -> dict[str, dict[str, object]]:
    """example name → {"docx": path, "pdf": path, "profile": the profile compose used, "kind": loai,
    "signers": how many signature fields the PDF holds}."""
    out: dict[str, dict[str, object]] = {}
    folder = workdir() / "demo"
    for path in example_files():
        result = quyche.render(path, out_dir=folder, formats=("docx", "pdf"))
        files = {p.suffix[1:]: p for p in result.written}
        doc = result.document
        out[path.stem] = {**files, "profile": doc.profile_id, "kind": doc.kind, "signers": len(doc.signers)}
    return out


def need_soffice() -> None:
    if SOFFICE is None:
        if REQUIRE_LO:
            pytest.fail("LibreOffice is required here (scripts/install-system.sh installs it)")
        pytest.skip("LibreOffice missing (scripts/install-system.sh installs it)")


def convert(files: list[Path] | list[str], fmt: str, out: Path, timeout: int = 300) -> None:
    """One soffice run converting ``files`` to ``fmt`` into ``out``, with the session's LibreOffice profile."""
    profile = (workdir() / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", str(out),
         *map(str, files)],
        check=True, capture_output=True, timeout=timeout,
    )  # fmt: skip


@lru_cache(maxsize=1)
def libreoffice() -> dict[str, dict[str, Path]]:
    """corpus name → {"docx": path, "pdf": path}, converted by one soffice run per format."""
    folder = workdir() / "lo"
    folder.mkdir(exist_ok=True)
    for name, (system, flaw, _rule) in corpus().items():
        (folder / f"{name}.fodt").write_text(build(system, flaw), encoding="utf-8")
    sources = sorted(str(p) for p in folder.glob("*.fodt"))
    for fmt in ("docx", "pdf"):
        convert(sources, fmt, folder / fmt)
    return {name: {fmt: folder / fmt / f"{name}.{fmt}" for fmt in ("docx", "pdf")} for name in corpus()}

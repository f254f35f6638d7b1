"""Helpers shared by test folders: run the CLI as a user does, write inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "tests" / "fixtures" / "base.yaml").read_text(encoding="utf-8")


def quyche(*args: str, cwd: Path | None = None, timeout: float = 120, env: dict | None = None):
    """Run the CLI as a user does; never a traceback unless --debug."""
    full_env = {**os.environ, **(env or {})}
    r = subprocess.run(
        [sys.executable, "-m", "quyche", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )
    assert "Traceback" not in r.stderr, r.stderr
    return r


def write(tmp_path: Path, text: str | bytes, name: str = "vb.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path

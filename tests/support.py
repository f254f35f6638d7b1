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


GIB = 1 << 30
LOCATED = r"^\S[^\n]*:\d+:\d+: lỗi \[(?P<code>[a-z0-9-]+)\]"


def _limits(memory: int, cpu: int):  # pragma: no cover - runs in the child before exec
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return apply


def bounded(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 60, memory: int = GIB):
    """The CLI in a child process that can never take the suite down: at most ``memory`` bytes of address
    space, ``timeout`` seconds of wall clock and of CPU. A hang fails the case instead of the run."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "quyche", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        preexec_fn=_limits(memory, int(timeout)),  # the child alone is limited
    )


def assert_refused(r, code: str, *, exit_code: int = 1, located: bool = True, folder: Path | None = None) -> None:
    """Exit 1 (or 2 for usage), the code in the message, located when asked, no traceback, no internal
    error, and nothing written in ``folder`` (when given)."""
    import re

    assert r.returncode == exit_code, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr and "lỗi nội bộ" not in r.stderr, r.stderr[-2000:]
    assert f"[{code}]" in r.stderr, r.stderr[-2000:]
    if located:
        found = [m.group("code") for m in re.finditer(LOCATED, r.stderr, re.MULTILINE)]
        assert code in found, r.stderr[-2000:]
    if folder is not None and folder.exists():
        written = [p for p in folder.rglob("*") if p.is_file()]
        assert not written, written

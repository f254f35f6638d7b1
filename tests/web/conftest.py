"""A real `quyche serve` process per test module, on a loopback address and a free port."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
# As root the system packages (Chromium) are installed by make test: the browser tests must run, not skip.
REQUIRED = os.environ.get("QUYCHE_REQUIRE_LIBREOFFICE") == "1"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    folder: Path
    proc: subprocess.Popen

    @contextlib.contextmanager
    def client(self) -> Iterator[httpx.Client]:
        """A client holding the session cookie, with the session's CSRF token on every request."""
        with httpx.Client(base_url=self.url, timeout=120) as c:
            c.get("/")  # local mode: the first visit opens a session
            c.headers["X-CSRF-Token"] = c.get("/api/phien").json()["csrf"]
            yield c


def start_server(folder: Path, host: str = "127.0.0.1", env: dict[str, str] | None = None) -> Server:
    port = free_port(host)
    cmd = [sys.executable, "-m", "quyche", "serve", str(folder), "--port", str(port), "--host", host]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}
    )
    url = f"http://{host}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"quyche serve exited {proc.returncode}: {proc.stderr.read()}")
        try:
            httpx.get(url + "/dang-nhap", timeout=1)
            return Server(url, folder, proc)
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("quyche serve did not answer in 60 s")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


def workspace_copy(tmp: Path) -> Path:
    folder = tmp / "van-ban"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`quyche serve` over a copy of data/ on 127.0.0.1 (local mode, no accounts)."""
    server = start_server(workspace_copy(tmp_path_factory.mktemp("ws")))
    yield server
    stop_server(server)

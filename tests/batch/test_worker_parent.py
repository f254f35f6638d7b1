"""A worker ends when its batch is gone (batch/workers.py, start_worker and _watch). A batch killed by SIGKILL stays a
zombie until whoever started it reaps it, and a test (or a shell script) waiting for the batch's output pipes to close
reaps it only after every worker holding those pipes has ended: a worker that took the zombie for a live batch waited
forever, and so did the caller."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from quyche.batch.workers import _alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="zombies are read from /proc")
def test_a_killed_process_not_yet_reaped_counts_as_gone() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.2)
        assert _alive(proc.pid)
        proc.kill()
        deadline = time.monotonic() + 10
        while _alive(proc.pid) and time.monotonic() < deadline:  # dead, unreaped: a zombie
            time.sleep(0.05)
        assert not _alive(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    assert not _alive(proc.pid)

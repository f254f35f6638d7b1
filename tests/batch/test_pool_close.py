"""The batch's process pool closes even when a worker was killed while idle (batch/workers.py, close_pool).

An idle worker waits for work holding the call queue's read lock; killed there it never releases it, and the
other worker, waiting on that lock, would never see the pool's "stop". ProcessPoolExecutor's own shutdown joins
every worker and so waited forever: the batch hung after its last document. The worker holding the lock (read
from /proc: it sleeps in the pipe's read, the other on the lock's futex) is killed, then the other one: the pool
must close within seconds either way, every worker ended."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from quyche.batch.workers import close_pool


def _pid(_: int) -> int:
    time.sleep(0.3)  # long enough that each worker takes one
    return os.getpid()


def _closing(close) -> threading.Event:
    """``close`` running in a thread; the event is set when it returns."""
    done = threading.Event()

    def run() -> None:
        close()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done


def _reading(pid: int) -> bool:
    """The worker sleeps in a pipe's read (it holds the queue's read lock), not on a futex (it waits for it)."""
    return "pipe" in Path(f"/proc/{pid}/wchan").read_text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the lock's holder")
@pytest.mark.parametrize("victim", ["holds the lock", "waits for it"])
def test_a_worker_killed_while_idle_does_not_hang_the_pool(victim: str) -> None:
    pool = ProcessPoolExecutor(max_workers=2)
    pids = sorted(set(pool.map(_pid, range(2))))
    assert len(pids) == 2  # both workers started; now both go idle on the call queue
    deadline = time.monotonic() + 10
    while sum(map(_reading, pids)) != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    holder = [p for p in pids if _reading(p)]
    assert len(holder) == 1, "one idle worker reads the queue, the other waits for its lock"
    workers = list(pool._processes.values())
    if victim == "holds the lock":  # killed once the pool is closing, as in a batch after its last document
        os.kill(holder[0], signal.SIGSTOP)  # held fast with the lock, before the pool's "stop" reaches it
        closing = _closing(lambda: close_pool(pool, grace=2.0))
        time.sleep(0.5)
        os.kill(holder[0], signal.SIGKILL)
    else:
        os.kill(next(p for p in pids if p != holder[0]), signal.SIGKILL)
        closing = _closing(lambda: close_pool(pool, grace=2.0))
    assert closing.wait(30), "the pool did not close"
    assert all(w.exitcode is not None for w in workers)  # every worker ended and was reaped


def test_idle_workers_leave_by_themselves_when_none_was_killed() -> None:
    pool = ProcessPoolExecutor(max_workers=2)
    assert sorted(pool.map(abs, [-1, -2])) == [1, 2]
    workers = list(pool._processes.values())
    t = time.monotonic()
    close_pool(pool, grace=10.0)
    assert time.monotonic() - t < 5  # they took the "stop" and ended: nobody waited out the grace
    assert all(w.exitcode == 0 for w in workers)  # left on their own, not killed

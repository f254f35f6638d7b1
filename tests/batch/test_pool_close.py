"""The batch's process pool closes even when a worker was killed while idle (batch/workers.py, close_pool).

An idle worker waits for work holding the call queue's read lock; killed there it never releases it, and the
other worker, waiting on that lock, would never see the pool's "stop". ProcessPoolExecutor's own shutdown joins
every worker and so waited forever: the batch hung after its last document. Each worker is killed in turn —
one of the two is the one holding the lock — and the pool must close within seconds, no worker left."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from quyche.batch.workers import close_pool


def _pid(_: int) -> int:
    time.sleep(0.3)  # long enough that each worker takes one
    return os.getpid()


def _closes_within(close, seconds: float) -> bool:
    done = threading.Event()

    def run() -> None:
        close()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(seconds)


@pytest.mark.parametrize("victim", [0, 1])
def test_a_worker_killed_while_idle_does_not_hang_the_pool(victim: int) -> None:
    pool = ProcessPoolExecutor(max_workers=2)
    pids = sorted(set(pool.map(_pid, range(2))))
    assert len(pids) == 2  # both workers started, both now idle on the call queue
    time.sleep(0.3)
    workers = list(pool._processes.values())
    os.kill(pids[victim], signal.SIGKILL)
    assert _closes_within(lambda: close_pool(pool, grace=2.0), 30), "the pool did not close"
    assert not any(w.is_alive() for w in workers)


def test_idle_workers_leave_by_themselves_when_none_was_killed() -> None:
    pool = ProcessPoolExecutor(max_workers=2)
    assert sorted(pool.map(abs, [-1, -2])) == [1, 2]
    workers = list(pool._processes.values())
    t = time.monotonic()
    close_pool(pool, grace=10.0)
    assert time.monotonic() - t < 5  # they took the "stop" and ended: nobody waited out the grace
    assert all(w.exitcode == 0 for w in workers)  # left on their own, not killed

"""Rendering a batch's documents in worker processes that die with their parent.

A worker composes and renders one document and writes each format through the journal (journal.py): temporary
file, fsync, journal record, rename. Workers ignore SIGINT — Ctrl-C reaches the whole process group, and the
parent alone decides what an interruption means — and end when the parent ends, however it ends: on Linux the
kernel kills them (prctl PR_SET_PDEATHSIG), elsewhere a thread sees the parent gone (os.getppid changes).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..limits import apply_worker_limits, guarded_render
from ..output import atomic_write
from ..sidecar import EXTENSION as SIDECAR
from ..sidecar import sidecar_bytes
from ..source import SourceMap
from . import journal

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_IN_WORKER = False  # set by start_worker: the CPU budget is a worker's, never the caller's own process


def render_document(
    item_id: str, model: Any, base_dir: str, smap: SourceMap, target: str, formats: tuple[str, ...], log: str
) -> dict[str, Any]:
    """Compose, render and write one document; returns the written files' names and hashes."""
    from ..compose import compose
    from ..render import render_formats

    outputs = {}
    with guarded_render(cpu=_IN_WORKER):  # memory and CPU budgets (limits.py): a breach is a located error
        document = compose(model, smap, Path(base_dir))
        mau_word = getattr(model, "mau_word", None)
        if mau_word:  # the template is compiled once per worker and re-rendered per partner (word/template.py);
            from ..word.render import render_word  # the built-in layout's PDF is not the template's document

            rendered = {"docx": render_word(model, document, Path(base_dir), smap)} if "docx" in formats else {}
            layout = None
        else:
            rendered, layout = render_formats(document, formats)
        files = {fmt: f"{Path(target).name}.{fmt}" for fmt in rendered}
        rendered[SIDECAR] = sidecar_bytes(document, files, layout)  # written last, beside the documents
        for fmt, data in rendered.items():
            path = Path(f"{target}.{fmt}")
            sha = hashlib.sha256(data).hexdigest()
            record = {"id": item_id, "fmt": fmt, "sha256": sha}
            atomic_write(path, data, before_replace=lambda r=record: journal.append(Path(log), r))
            outputs[fmt] = {"path": path.name, "sha256": sha}
    return {"outputs": outputs, "so_ky_hieu": document.so_ky_hieu, "signers": [s.ho_ten for s in document.signers]}


HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the pool forks its workers: one landing in a fork hook would be swallowed
    ("Exception ignored") and the batch would run on; held, it arrives right after, at a point that stops cleanly."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def start_worker(main: int) -> None:  # pragma: no cover - runs in workers
    """Pool initializer: ignore Ctrl-C, die with the parent, import the renderer once. ``main`` is the batch
    process; the worker's own parent is that process (fork, spawn) or the forkserver, which ends with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends a worker with SIGTERM: no handler inherited
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held them (signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
    if os.name == "posix":
        if sys.platform.startswith("linux"):
            import ctypes

            try:  # the kernel sends SIGKILL when the process that started this one dies
                ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            except (OSError, AttributeError):
                pass
        parent = os.getppid()
        if not _alive(main):  # the batch died before the line above took effect
            os._exit(1)
        threading.Thread(target=_watch, args=(parent, main), name="quyche-watch-parent", daemon=True).start()
    global _IN_WORKER
    _IN_WORKER = True
    apply_worker_limits()  # the last line of defence: address space capped (limits.py, budget.py)
    import quyche.compose
    import quyche.render.docx  # noqa: F401


def _alive(pid: int) -> bool:  # POSIX only: on Windows os.kill would end the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed batch stays a zombie until whoever started it reaps it (a shell, a test waiting for its output
    # pipes to close, which this worker holds open): for the worker it is gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc: the signal test alone
        return True


def _watch(parent: int, main: int) -> None:  # pragma: no cover - runs in workers
    while True:
        time.sleep(0.5)
        if os.getppid() != parent or not _alive(main):
            os._exit(1)


def close_pool(pool: ProcessPoolExecutor, grace: float = 5.0) -> None:
    """Stop the pool's workers once the batch needs them no more (every result is in, or Ctrl-C).

    An idle worker waits for work holding the call queue's read lock; killed there (the OOM killer, a clerk's
    kill), it never releases it, the other worker waits on that lock forever, and ProcessPoolExecutor's own
    shutdown, which joins every worker, would wait with it: the batch would hang after its last document. So
    the pool is told to shut down without waiting; its manager thread, which joins the workers, gets ``grace``
    seconds, and a worker it is still waiting for then is killed — it has nothing left to do (the batch writes
    nothing through a worker after its result). Only the manager reaps the workers: no two threads race for
    one child's exit status."""
    manager = getattr(pool, "_executor_manager_thread", None)  # the executor has no public handle on these
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is None:  # nothing was ever submitted: no worker started
        return
    manager.join(grace)
    if manager.is_alive():
        for worker in workers:
            worker.kill()  # a signal only, never a wait: a worker already reaped is skipped
        manager.join()

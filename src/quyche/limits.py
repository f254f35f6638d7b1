"""The last line of defence: memory and CPU limits on a worker process's render (budget.py).

Every input is bounded where it enters; this catches what those budgets miss. In a worker process
(batch rendering, later the web editor's renders):
- ``apply_worker_limits()`` caps the address space (``worker_memory``, RLIMIT_AS) once, so a runaway
  allocation raises MemoryError instead of swapping the machine to a halt;
- ``guarded_render()`` gives one render ``worker_cpu`` seconds of CPU (RLIMIT_CPU's soft limit moved
  past the time used so far; SIGXCPU raises) and turns either breach into ``WorkerLimitError``, which
  the caller reports as a located ``vuot-gioi-han`` error instead of a crash.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

from . import budget


class WorkerLimitError(RuntimeError):
    """A render went past its memory or CPU budget (the message is Vietnamese and names the variable)."""


def apply_worker_limits() -> None:  # pragma: no cover - runs in worker processes
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the input budgets still apply
        return
    cap = budget.limit("worker_memory")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or soft > cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _memory_message() -> str:
    cap = budget.human(budget.limit("worker_memory"), "byte")
    return f"vượt {cap} bộ nhớ khi tạo văn bản (QUYCHE_MAX_WORKER_MEMORY)"


def _at_memory_cap() -> bool:
    """True when this process's peak address space came within 64 MiB of its RLIMIT_AS (Linux)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return False
        with open("/proc/self/status", encoding="ascii") as fh:
            peak = next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmPeak:")), 0)
    except (ImportError, OSError, ValueError):
        return False
    return peak >= soft - 64 * budget.MIB


def _cpu_exceeded(signum: int, frame: object) -> None:  # pragma: no cover - signal handler
    raise WorkerLimitError(f"hết {budget.limit('worker_cpu')} giây CPU cho một văn bản (QUYCHE_MAX_WORKER_CPU)")


@contextlib.contextmanager
def guarded_render(*, cpu: bool = True) -> Iterator[None]:
    """Run one render under the CPU budget (``cpu``: only in a worker process, never the caller's own)."""
    restore = None
    if cpu and hasattr(signal, "SIGXCPU"):
        import resource

        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime) + 1
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        new_soft = spent + budget.limit("worker_cpu")
        if hard != resource.RLIM_INFINITY:
            new_soft = min(new_soft, hard)
        previous = signal.signal(signal.SIGXCPU, _cpu_exceeded)
        resource.setrlimit(resource.RLIMIT_CPU, (new_soft, hard))
        restore = (resource, soft, hard, previous)
    try:
        yield
    except MemoryError:
        raise WorkerLimitError(_memory_message()) from None
    except RecursionError:
        raise WorkerLimitError("văn bản lồng quá sâu để trình bày") from None
    except Exception:
        # C extensions that fail to allocate raise odd errors (SystemError "error return without exception
        # set"); when the address space reached its cap, that is what it was.
        if cpu and _at_memory_cap():
            raise WorkerLimitError(_memory_message()) from None
        raise
    finally:
        if restore is not None:
            resource, soft, hard, previous = restore
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
            signal.signal(signal.SIGXCPU, previous)

"""Checks, previews and exports off the event loop: a process pool under the budget policy (budget.py).

Every request's text goes through the CLI's own pipeline (``source.parse_text`` → ``pipeline.build_source``),
so the editor reports the same codes, words and positions as ``quyche validate``. Budgets are the ones every
input has: each worker's address space (``worker_memory``) and each render's CPU time (``worker_cpu``) through
``limits`` as in batch workers, plus a wall-clock ``web_seconds`` per request: past it the pool's workers are
killed and recreated, and other requests in flight are retried once. A breach is ``vuot-gioi-han``.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .. import budget
from ..errors import Diagnostic, DiagnosticError, Location
from ..limits import WorkerLimitError, apply_worker_limits, guarded_render

WORKERS = 2  # a render is CPU-bound; the machine serving an office has a few cores


def diagnostic_json(d: Diagnostic, path: tuple | None = None) -> dict[str, Any]:
    """A diagnostic as the API gives it: the CLI's code and words, 1-based dong/cot, the data path if known."""
    return {
        "ma": d.code,
        "code": d.code,
        "message": d.message,
        "muc_do": "loi" if d.is_error else "canh-bao",
        "dong": d.location.line if d.location else None,
        "cot": d.location.column if d.location else None,
        "goi_y": d.hint,
        "can_cu": d.rule,
        "duong_dan": list(path) if path is not None else None,
    }


# --- in the worker processes -------------------------------------------------------------------------------


def _die_with_parent() -> None:  # pragma: no cover - runs in workers
    """Linux: the worker gets SIGTERM when the server process dies, even by SIGKILL (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, int(signal.SIGTERM))
    except (OSError, AttributeError):
        pass


def _init_worker() -> None:  # pragma: no cover - runs in workers
    _die_with_parent()
    apply_worker_limits()  # RLIMIT_AS: worker_memory (budget.py)
    try:  # pay the imports and the font lookup once per worker, not on the first request
        from ..render import pdf

        pdf._resources()
    except Exception:
        pass


def _over(detail: str) -> dict[str, Any]:
    return diagnostic_json(Diagnostic.make("vuot-gioi-han", None, detail=detail))


def _path_of(smap: Any, loc: Location | None) -> tuple | None:
    """The data path whose value (or key) starts at ``loc``: where the form shows the diagnostic."""
    if loc is None or smap is None:
        return None
    at = (loc.line, loc.column)
    for table in (smap.values, smap.keys):
        best = [p for p, pos in table.items() if pos == at]
        if best:
            return max(best, key=len)
    return None


def _outside_roster(data: Any, smap: Any, doc: Path, root: Path) -> list[Diagnostic]:
    """A ``danh_muc`` naming a file outside the workspace is refused before anything reads it."""
    out = []
    value = data.get("danh_muc") if isinstance(data, dict) else None
    if isinstance(value, str) and value.strip():
        target = (doc.parent / value.strip()).resolve()
        if not target.is_relative_to(root):
            out.append(Diagnostic.make("ngoai-thu-muc", smap.locate(("danh_muc",)), value=value))
    return out


def plain(data: Any) -> Any:
    """Loaded YAML data as JSON values: dates and times as ISO strings (what the form edits)."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if hasattr(data, "isoformat"):
        return data.isoformat(sep=" ", timespec="minutes") if hasattr(data, "hour") else data.isoformat()
    return data


_LAST_DATA: dict[str, Any] = {}  # the data of the last _build in this worker (the form's reload)


def _build(text: str, rel: str, root: str) -> tuple[Any, list[dict[str, Any]]]:
    """(composed document or None, diagnostics as JSON)."""
    from ..pipeline import build_source
    from ..source import parse_text

    doc_path = Path(root) / rel
    smap = None
    _LAST_DATA.clear()
    try:
        source = parse_text(text.replace("\r\n", "\n"), rel, doc_path)
        smap = source.source_map
        _LAST_DATA["du_lieu"] = plain(source.data)
        refused = _outside_roster(source.data, smap, doc_path, Path(root))
        if refused:
            raise DiagnosticError(refused, text)
        result = build_source(source)
        _LAST_DATA["ket_qua"] = result  # the validated model too, for the number's series (cap_so.py)
    except DiagnosticError as exc:
        return None, [diagnostic_json(d, _path_of(smap, d.location)) for d in exc.diagnostics]
    return result.document, [diagnostic_json(d, _path_of(smap, d.location)) for d in result.warnings]


def _guarded(job):
    """A job under the worker's memory and CPU budgets (limits.guarded_render): a breach is vuot-gioi-han."""

    @functools.wraps(job)
    def run(*args: Any) -> dict[str, Any]:
        try:
            with guarded_render():
                return job(*args)
        except WorkerLimitError as exc:
            return {"hop_le": False, "chan_doan": [_over(str(exc))], "html": None, "data": None}

    return run


@_guarded
def check_job(text: str, rel: str, root: str) -> dict[str, Any]:
    document, diags = _build(text, rel, root)
    return {"hop_le": document is not None, "chan_doan": diags}


@_guarded
def preview_job(text: str, rel: str, root: str) -> dict[str, Any]:
    """The HTML the PDF renderer gives WeasyPrint (``render.pdf.document_html``): no second layout."""
    document, diags = _build(text, rel, root)
    data = _LAST_DATA.get("du_lieu")
    if document is None:
        return {"hop_le": False, "chan_doan": diags, "html": None, "du_lieu": data}
    from ..render.pdf import document_html

    return {"hop_le": True, "chan_doan": diags, "html": document_html(document), "du_lieu": data}


@_guarded
def export_job(text: str, rel: str, root: str, fmt: str) -> dict[str, Any]:
    from ..render import RenderError, get_renderer

    document, diags = _build(text, rel, root)
    if document is None:
        return {"hop_le": False, "chan_doan": diags, "data": None}
    try:
        data = get_renderer(fmt).render(document)
    except RenderError as exc:
        return {"hop_le": False, "chan_doan": diags, "data": None, "loi_xuat": str(exc)}
    return {"hop_le": True, "chan_doan": diags, "data": data}


def stylesheet_job(font_prefix: str) -> dict[str, Any]:
    """The preview's static stylesheet with the faces served at ``font_prefix + index``, and their files."""
    from ..render.pdf import find_fonts, stylesheet_text

    fonts = find_fonts()
    urls = [f"{font_prefix}{i}" for i in range(len(fonts.faces))]
    return {"css": stylesheet_text(fonts, urls), "files": [str(f.path) for f in fonts.faces]}


# --- in the server ---------------------------------------------------------------------------------------


def _occupy() -> int:  # pragma: no cover - runs in workers
    time.sleep(0.2)
    return os.getpid()


class TimedOut(Exception):
    pass


class WorkerDied(Exception):
    """A render process died twice (over its memory limit, or killed): answered with vuot-gioi-han."""


class RenderPool:
    """A process pool whose tasks are awaited with a deadline; a task over time kills the pool."""

    def __init__(self, workers: int = WORKERS, timeout: float | None = None) -> None:
        self.workers = workers
        self.timeout = float(timeout if timeout is not None else budget.limit("web_seconds"))
        self._lock = threading.Lock()
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("spawn")  # no fork of a threaded server
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker)

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is not pool:
                return  # already replaced by another request's timeout
            self._pool = self._new()
        for proc in list(getattr(pool, "_processes", {}).values()):  # the executor has no public kill
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Any, *args: Any) -> Any:
        for attempt in (1, 2):
            pool = self._pool
            if not getattr(pool, "warmed", False):  # a fresh pool's start-up is not the request's render time
                await asyncio.get_running_loop().run_in_executor(None, self._warm, pool)
            try:  # submit too: a pool broken under another request refuses at once (BrokenProcessPool)
                future = asyncio.wrap_future(pool.submit(fn, *args))
                return await asyncio.wait_for(future, self.timeout)
            except asyncio.TimeoutError:
                self._kill(pool)
                raise TimedOut from None
            except MemoryError:
                raise WorkerDied from None
            except (SystemError, ImportError):  # out of the worker's address space inside CPython's C code
                self._kill(pool)  # ("returned NULL", "failed to map segment"): a budget breach, not a bug
                raise WorkerDied from None
            except BrokenProcessPool:
                self._kill(pool)
                if attempt == 2:  # killed under another request, or a worker died: one retry on a fresh pool
                    raise WorkerDied from None
        raise AssertionError("unreachable")

    def warm(self) -> None:
        """Start every worker now (imports, fonts) rather than on the first request."""
        self._warm(self._pool)

    def _warm(self, pool: ProcessPoolExecutor) -> None:
        try:
            for f in [pool.submit(_occupy) for _ in range(self.workers)]:  # busy at once: all workers start
                f.result()
        except BrokenProcessPool:
            return  # killed meanwhile: the request's own submit reports it
        pool.warmed = True  # type: ignore[attr-defined]

    def close(self) -> None:
        """Stop the workers now: a render in progress is abandoned (its request is gone with the server)."""
        pool = self._pool
        procs = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(5)


def timeout_json(seconds: float) -> dict[str, Any]:
    return {"hop_le": False, "chan_doan": [_over(f"soạn quá {seconds:g} giây (QUYCHE_MAX_WEB_SECONDS)")]}


def memory_json() -> dict[str, Any]:
    """A worker that died under its memory cap (the C side of a library may abort rather than raise)."""
    cap = budget.human(budget.limit("worker_memory"), "byte")
    return {"hop_le": False, "chan_doan": [_over(f"vượt {cap} bộ nhớ khi tạo văn bản (QUYCHE_MAX_WORKER_MEMORY)")]}


class _Nowhere:
    def locate(self, _path: tuple) -> None:
        return None


def summary_job(rel: str, root: str) -> dict[str, Any]:
    """One line of the index: kind, trích yếu, số and whether the file validates (as quyche validate)."""
    from ..source import read_text

    path = Path(root) / rel
    try:
        text = read_text(path, rel)
    except DiagnosticError as exc:
        return {"duong_dan": rel, "loai": None, "trich_yeu": None, "so": None, "hop_le": False,
                "so_loi": len(exc.errors)}  # fmt: skip
    data: dict[str, Any] = {}
    try:
        from ..source import parse_text

        data = parse_text(text, rel, path).data
    except DiagnosticError:
        pass
    if data.get("danh_muc") == "co_quan" and "loai" not in data:  # a roster: used by documents, not one
        return {"duong_dan": rel, "loai": "danh_muc", "trich_yeu": None, "so": None, "hop_le": True, "so_loi": 0}
    if data.get("loai") == "bo_van_ban":
        refused = _outside_roster(data, _Nowhere(), path, Path(root))
        if refused:
            return {"duong_dan": rel, "loai": "bo_van_ban", "trich_yeu": data.get("ten"), "so": None,
                    "hop_le": False, "so_loi": 1}  # fmt: skip
        from ..batch import plan_batch

        try:
            plan = plan_batch(path)
            ok, errors = not plan.problems, sum(len(v) for v in plan.problems.values())
        except DiagnosticError as exc:
            ok, errors = False, len(exc.errors)
    else:
        document, diags = _build(text, rel, root)
        ok, errors = document is not None, sum(d["muc_do"] == "loi" for d in diags)
    title = data.get("trich_yeu") or data.get("ten") or data.get("su_kien")
    return {
        "duong_dan": rel,
        "loai": data.get("loai") if isinstance(data.get("loai"), str) else None,
        "trich_yeu": title if isinstance(title, str) else None,
        "so": data.get("so") if isinstance(data.get("so"), (int, str)) else None,
        "hop_le": ok,
        "so_loi": errors,
    }

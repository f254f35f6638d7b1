"""Running a plan: numbers from the register, validation with numbers, rendering in worker processes.

Crash safety (what the next plain run finds after Ctrl-C, SIGKILL of the parent or a worker, a full disk):
- numbers belong to documents in the register (``dinh_danh``), not to this folder: a re-run into any folder, or
  after any crash, gets the same numbers and takes none;
- every file a worker renamed into the folder was journaled first (journal.py): it is recognised as quyche's
  own and rendered again if its record is missing; a file whose hash quyche never wrote is a hand edit, kept
  unless ``force``;
- a document is "done" only once its register line is issued: a reservation never stays dangling after a
  complete run; stale temporary files are removed at start.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DiagnosticError
from ..limits import WorkerLimitError
from ..output import safe_name, target_path
from ..sidecar import EXTENSION as SIDECAR
from . import journal
from .manifest import _read_manifest, _sha, _write_manifest, _write_summary
from .numbers import _issue, _reserve
from .plan import Plan, PlanItem, validate_item
from .workers import close_pool, render_document, signals_held, start_worker


@dataclass
class BatchReport:
    out_dir: Path
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # up to date
    protected: list[str] = field(default_factory=list)  # edited by hand, kept
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    interrupted: bool = False
    manifest: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def _prepare_folder(plan: Plan, out_dir: str | Path) -> Path:
    """The batch's output folder, proven writable before any number is taken (a located error otherwise)."""
    out = Path(out_dir) / safe_name(plan.path.stem)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(".*.tmp"):  # left by a process killed mid-write: never a document
            stale.unlink(missing_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".quyche-thu.", suffix=".tmp", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise DiagnosticError(
            [Diagnostic.make("thu-muc-khong-ghi-duoc", None, path=str(out), detail=exc.strerror or str(exc))]
        ) from None
    return out


def run_batch(
    plan: Plan,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    force: bool = False,
    formats: tuple[str, ...] = ("docx",),
    register_path: str | Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BatchReport:
    """Number, render and record every planned document. Raises DiagnosticError (nothing written or reserved)
    when the folder cannot be written or the register refuses the batch."""
    from ..register import BAN_HANH, Register

    out = _prepare_folder(plan, out_dir)
    report = BatchReport(out, failed=dict(plan.problems))
    items: list[PlanItem] = []
    for item in plan.items:  # a document that cannot be valid takes no number (nothing left dangling)
        diags = validate_item(item, plan, None)
        if any(d.is_error for d in diags):
            report.failed.setdefault(item.doi_tac, []).extend(diags)
        else:
            items.append(item)
    register = Register(register_path or plan.register_path)
    lines = _reserve(register, plan, items)  # one transaction; refusals are located errors before any file
    report.manifest = out / "manifest.json"
    log = out / journal.JOURNAL
    entries = _read_manifest(report.manifest)
    ours = journal.read(log)

    files = (*formats, SIDECAR)  # every document has its sidecar JSON beside it (sidecar.py)
    todo: list[PlanItem] = []
    for item in items:
        line = lines[item.id]
        entry = entries.setdefault(item.id, {"id": item.id, "loai": item.kind, "doi_tac": item.doi_tac})
        entry["so"], entry["ma_so_dang_ky"] = line.so, line.id
        diags = validate_item(item, plan, line.so)
        if any(d.is_error for d in diags):
            report.failed.setdefault(item.doi_tac, []).extend(diags)
            entry["trang_thai"] = "loi"
            continue
        target = target_path(out, item.output)
        on_disk = {fmt: _sha(Path(f"{target}.{fmt}")) for fmt in files}
        recorded = {fmt: v.get("sha256") for fmt, v in entry.get("outputs", {}).items()}
        known = {fmt: ours.get((item.id, fmt), set()) | {recorded.get(fmt)} for fmt in files}
        if any(sha and sha not in known[fmt] for fmt, sha in on_disk.items()) and not force:
            report.protected.append(item.id)  # changed since quyche wrote it: a hand edit
            entry["trang_thai"] = "sua-tay"
            continue
        up_to_date = (
            entry.get("input_sha256") == item.input_hash
            and line.trang_thai == BAN_HANH
            and all(on_disk.get(fmt) and on_disk[fmt] == recorded.get(fmt) for fmt in files)
        )
        if up_to_date and not force:
            report.skipped.append(item.id)
            entry["trang_thai"] = "xong"
            continue
        entry["trang_thai"] = "da-giu-so"
        todo.append(item)

    try:
        _render_all(plan, out, todo, jobs, formats, str(log), entries, register, report, progress)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        try:
            _write_manifest(report.manifest, entries)
            _write_summary(out, plan, entries)
            current = {(i.id, fmt): _sha(Path(f"{target_path(out, i.output)}.{fmt}")) for i in items for fmt in files}
            journal.compact(log, entries, current)
        except OSError as exc:  # a full disk: the journal still knows every file written
            report.failed.setdefault("", []).append(
                Diagnostic.make("thu-muc-khong-ghi-duoc", None, path=str(out), detail=exc.strerror or str(exc))
            )
    return report


def _render_all(
    plan: Plan,
    out: Path,
    todo: list[PlanItem],
    jobs: int | None,
    formats: tuple[str, ...],
    log: str,
    entries: dict[str, dict[str, Any]],
    register: Any,
    report: BatchReport,
    progress: Callable[[str, int, int], None] | None,
) -> None:
    base = str(plan.path.parent)

    def args(item: PlanItem) -> tuple[Any, ...]:
        return (item.id, item.model, base, item.smap, str(target_path(out, item.output)), formats, log)

    def finished(item: PlanItem, result: dict[str, Any] | None, error: BaseException | None) -> None:
        if error is not None:
            detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error) or "bị dừng"
            if isinstance(error, WorkerLimitError):  # the worker's memory or CPU budget (limits.py)
                diag = Diagnostic.make("vuot-gioi-han", item.smap.locate(()), detail=f"{item.id}: {error}")
            else:
                diag = Diagnostic.make("loi-tao-tep", item.smap.locate(()), id=item.id, detail=detail)
            report.failed.setdefault(item.doi_tac, []).append(diag)
            entries[item.id]["trang_thai"] = "loi"
            return
        assert result is not None
        _finish(item, result, entries, register, plan, report)
        if progress:
            progress(item.id, len(report.rendered), len(todo))

    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if workers == 1:
        for item in todo:
            try:
                result = render_document(*args(item))
            except (OSError, WorkerLimitError) as exc:  # disk full, folder gone: this one fails, others are tried
                finished(item, None, exc)
                continue
            finished(item, result, None)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(),))
    futures: dict[Future[dict[str, Any]], PlanItem] = {}
    handled: set[Future[dict[str, Any]]] = set()
    try:
        with signals_held():  # the pool forks its workers while submitting
            for item in todo:
                futures[pool.submit(render_document, *args(item))] = item
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                handled.add(fut)
                _collect(fut, futures[fut], finished)
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        wait(futures)  # the documents being rendered finish (workers ignore Ctrl-C) or fail with their worker
        for fut in futures:  # documents finished while stopping are recorded, not left to the journal
            if fut not in handled and fut.done() and not fut.cancelled() and fut.exception() is None:
                finished(futures[fut], fut.result(), None)
        raise
    finally:
        close_pool(pool)  # not the executor's own shutdown: it can wait forever on a worker killed idle


def _collect(fut: Future[dict[str, Any]], item: PlanItem, finished: Callable[..., None]) -> None:
    try:
        result = fut.result()
    except Exception as exc:  # a killed worker (BrokenProcessPool), a full disk: this document's failure
        finished(item, None, exc)
        return
    finished(item, result, None)


def _finish(
    item: PlanItem,
    result: dict[str, Any],
    entries: dict[str, dict[str, Any]],
    register: Any,
    plan: Plan,
    report: BatchReport,
) -> None:
    """A document is done once its register line is written (issued, or corrected when re-rendered)."""
    from ..register import RegisterError

    entry = entries[item.id]
    entry.update({"so_ky_hieu": result["so_ky_hieu"], "outputs": result["outputs"]})
    try:
        _issue(register, plan, item, entry, result)
    except RegisterError as exc:
        report.failed.setdefault(item.doi_tac, []).append(
            Diagnostic.make("so-dang-ky", item.smap.locate(()), id=item.id, detail=str(exc))
        )
        entry["trang_thai"] = "loi"
        return
    entry.update({"input_sha256": item.input_hash, "trang_thai": "xong"})
    report.rendered.append(item.id)

"""Running a plan: numbers from the register, validation with numbers, rendering in worker processes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostic
from ..limits import WorkerLimitError, apply_worker_limits, guarded_render
from ..output import atomic_write, safe_name, target_path
from ..schema.common import CoQuan
from ..source import SourceMap
from .manifest import _read_manifest, _sha, _write_manifest, _write_summary
from .numbers import _issue, _reserve
from .plan import Plan, PlanItem, validate_item


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


def _render_worker(model: Any, base_dir: str, smap: SourceMap, target: str, formats: tuple[str, ...]) -> dict[str, Any]:
    """In a worker process: compose, render, write atomically; returns output hashes."""
    from ..compose import compose
    from ..render import get_renderer

    outputs = {}
    with guarded_render(cpu=_IN_WORKER):  # memory and CPU budgets (limits.py): a breach is a located error
        document = compose(model, smap, Path(base_dir))
        for fmt in formats:
            data = get_renderer(fmt).render(document)
            path = Path(f"{target}.{fmt}")
            atomic_write(path, data)
            outputs[fmt] = {"path": path.name, "sha256": hashlib.sha256(data).hexdigest()}
    return {"outputs": outputs, "so_ky_hieu": document.so_ky_hieu, "signers": [s.ho_ten for s in document.signers]}


_IN_WORKER = False


def _warm() -> None:  # pragma: no cover - runs in workers
    global _IN_WORKER
    _IN_WORKER = True
    apply_worker_limits()
    import quyche.compose
    import quyche.render.docx  # noqa: F401


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
    from ..register import Register

    out = Path(out_dir) / safe_name(plan.path.stem)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a worker killed mid-write (SIGKILL): never a document
        stale.unlink(missing_ok=True)
    report = BatchReport(out, failed=dict(plan.problems))
    manifest_path = out / "manifest.json"
    report.manifest = manifest_path
    entries = _read_manifest(manifest_path)
    register = Register(register_path or plan.register_path)

    # 1. numbers: keep those already given to an item (re-runs, interrupted runs), reserve the rest in one go
    host = plan.host
    needs: dict[str, list[PlanItem]] = {}
    for item in plan.items:
        if item.id in entries and entries[item.id].get("so"):
            continue
        needs.setdefault(item.kind, []).append(item)
    numbers: dict[str, int] = {k: int(v["so"]) for k, v in entries.items() if v.get("so")}
    if needs:
        requests = []
        for kind, items in needs.items():
            sample = items[0].data
            requests.append((kind, len(items), sample))
        reserved = _reserve(register, host, plan, requests)
        for kind, items in needs.items():
            for item, n in zip(items, reserved[kind], strict=True):
                numbers[item.id] = n
                entries[item.id] = {
                    "id": item.id,
                    "loai": item.kind,
                    "doi_tac": item.doi_tac,
                    "so": n,
                    "trang_thai": "da-giu-so",
                }
        _write_manifest(manifest_path, entries)

    # 2. validate each document with its number; decide what to render
    todo: list[PlanItem] = []
    for item in plan.items:
        diags = validate_item(item, plan, numbers.get(item.id))
        if any(d.is_error for d in diags):
            report.failed.setdefault(item.doi_tac, []).extend(diags)
            continue
        entry = entries.setdefault(item.id, {"id": item.id, "loai": item.kind, "doi_tac": item.doi_tac})
        target = target_path(out, item.output)
        on_disk = {fmt: _sha(Path(f"{target}.{fmt}")) for fmt in formats}
        recorded = {fmt: v.get("sha256") for fmt, v in entry.get("outputs", {}).items()}
        edited = [fmt for fmt, sha in on_disk.items() if sha and recorded.get(fmt) and sha != recorded[fmt]]
        unknown = [fmt for fmt, sha in on_disk.items() if sha and not recorded.get(fmt)]
        if (edited or unknown) and not force:
            report.protected.append(item.id)
            entry["trang_thai"] = "sua-tay"
            continue
        up_to_date = entry.get("input_sha256") == item.input_hash and all(
            on_disk.get(fmt) and on_disk[fmt] == recorded.get(fmt) for fmt in formats
        )
        if up_to_date and not force:
            report.skipped.append(item.id)
            continue
        todo.append(item)

    # 3. render in parallel processes; Ctrl-C leaves finished files and a consistent manifest
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    done = 0
    try:
        if workers == 1:
            for item in todo:
                try:
                    result = _render_worker(
                        item.model, str(plan.path.parent), item.smap, str(target_path(out, item.output)), formats
                    )
                except WorkerLimitError as exc:
                    _failed(item, exc, entries, report)
                    continue
                _finish(item, result, entries, register, host, plan, report)
                done += 1
                if progress:
                    progress(item.id, done, len(todo))
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_warm) as pool:
                futures: dict[Future[dict[str, Any]], PlanItem] = {
                    pool.submit(
                        _render_worker,
                        item.model,
                        str(plan.path.parent),
                        item.smap,
                        str(target_path(out, item.output)),
                        formats,
                    ): item
                    for item in todo
                }
                pending = set(futures)
                try:
                    while pending:
                        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for fut in finished:
                            item = futures[fut]
                            try:
                                result = fut.result()
                            except Exception as exc:
                                _failed(item, exc, entries, report)
                                continue
                            _finish(item, result, entries, register, host, plan, report)
                            done += 1
                            if progress:
                                progress(item.id, done, len(todo))
                except KeyboardInterrupt:
                    for fut in pending:
                        fut.cancel()
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        _write_manifest(manifest_path, entries)
        _write_summary(out, plan, entries)
    return report


def _failed(item: PlanItem, exc: BaseException, entries: dict[str, dict[str, Any]], report: BatchReport) -> None:
    """A worker's failure as a located diagnostic: a budget breach, a worker that died, or an error."""
    from concurrent.futures.process import BrokenProcessPool

    loc = item.smap.locate(())
    if isinstance(exc, WorkerLimitError):
        diag = Diagnostic.make("vuot-gioi-han", loc, detail=f"{item.id}: {exc}")
    elif isinstance(exc, BrokenProcessPool):
        detail = "tiến trình tạo văn bản bị dừng đột ngột (hết bộ nhớ hoặc bị tắt); chạy lại lệnh"
        diag = Diagnostic.make("loi-tao-tep", loc, id=item.id, detail=detail)
    else:
        diag = Diagnostic.make("loi-tao-tep", loc, id=item.id, detail=str(exc) or type(exc).__name__)
    report.failed.setdefault(item.doi_tac, []).append(diag)
    entries[item.id]["trang_thai"] = "loi"


def _finish(
    item: PlanItem,
    result: dict[str, Any],
    entries: dict[str, dict[str, Any]],
    register: Any,
    host: CoQuan,
    plan: Plan,
    report: BatchReport,
) -> None:
    entry = entries[item.id]
    entry.update(
        {
            "so_ky_hieu": result["so_ky_hieu"],
            "input_sha256": item.input_hash,
            "outputs": result["outputs"],
            "trang_thai": "xong",
        }
    )
    report.rendered.append(item.id)
    _issue(register, host, plan, item, entry, result)

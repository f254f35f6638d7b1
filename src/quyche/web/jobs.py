"""Batch runs started from the editor, with their progress, and the workspace's register.

A run is ``quyche.batch.plan_batch`` + ``run_batch`` in a thread of its own (run_batch renders in its own
process pool), into ``ket-qua/`` of the workspace, numbered from the workspace's register
``.quyche/so-dang-ky.sqlite3`` (the CLI's default when run in that folder) unless the batch file names
another register inside the workspace. The page follows the run's state through
Server-Sent Events (su_kien.py).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DiagnosticError
from .renders import diagnostic_json
from .workspace import Workspace

OUT_DIR = "ket-qua"
REGISTER_FILE = "so-dang-ky.sqlite3"
OUTPUT_SUFFIXES = (".docx", ".pdf", ".xlsx", ".csv", ".json")


@dataclass
class BatchRun:
    id: str
    source: str
    started_by: str
    total: int = 0
    done: int = 0
    current: str = ""
    finished: bool = False
    summary: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)


def register_path(ws: Workspace) -> Path:
    return ws.config_dir / REGISTER_FILE


class BatchRuns:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.runs: dict[str, BatchRun] = {}
        self._lock = threading.Lock()

    def start(self, rel: str, user: str) -> BatchRun:
        path = self.ws.resolve(rel)
        run = BatchRun(secrets.token_urlsafe(8), rel, user)
        with self._lock:
            busy = [r for r in self.runs.values() if r.source == rel and not r.finished]
            if busy:
                return busy[0]  # one run of a batch at a time: the register reserves once
            self.runs[run.id] = run
        threading.Thread(target=self._run, args=(run, path), name=f"bo-van-ban-{run.id}", daemon=True).start()
        return run

    def _run(self, run: BatchRun, path: Path) -> None:
        from ..register.history import acting_as

        with acting_as(run.started_by):  # the journal names the signed-in văn thư (this thread only)
            self._run_as(run, path)

    def _run_as(self, run: BatchRun, path: Path) -> None:
        from ..batch import plan_batch, run_batch

        try:
            plan = plan_batch(path)
            reg = plan.register_path
            if reg is not None and not self.ws.inside(reg):
                run.summary = "Sổ đăng ký ghi trong bộ văn bản nằm ngoài thư mục làm việc; không chạy."
                return
            roster = getattr(plan.batch, "danh_muc", None)
            if roster and not self.ws.inside(path.parent / roster):
                run.summary = "Danh mục cơ quan nằm ngoài thư mục làm việc; không chạy."
                return
            run.total = len(plan.items)

            def step(item_id: str, done: int, total: int) -> None:
                run.current, run.done, run.total = item_id, done, total

            out = self.ws.root / OUT_DIR
            report = run_batch(plan, out, jobs=2, formats=("docx",), register_path=reg or register_path(self.ws),
                               progress=step)  # fmt: skip
            for ma, diags in report.failed.items():
                run.problems.extend({**diagnostic_json(d), "doi_tac": ma} for d in diags)
            run.outputs = sorted(
                self.ws.relative(p) for p in report.out_dir.rglob("*") if p.suffix in OUTPUT_SUFFIXES and p.is_file()
            )
            run.summary = (
                f"{len(report.rendered)} văn bản mới, {len(report.skipped)} không đổi, "
                f"{len(report.protected)} giữ nguyên (đã sửa tay), {len(report.failed)} cơ quan lỗi."
            )
        except DiagnosticError as exc:
            run.problems = [diagnostic_json(d) for d in exc.diagnostics]
            run.summary = "Bộ văn bản có lỗi; không tạo tệp nào."
        except Exception as exc:  # shown to the user, the server keeps serving
            run.summary = f"Lỗi nội bộ: {type(exc).__name__}: {exc}"
        finally:
            run.finished = True

    def get(self, run_id: str) -> BatchRun | None:
        return self.runs.get(run_id)


def register_entries(ws: Workspace) -> list[Any]:
    from ..register import Register

    path = register_path(ws)
    if not path.exists():
        return []
    return Register(path).list()


def export_register(ws: Workspace, target: Path) -> int:
    from ..register import Register

    return Register(register_path(ws)).export_xlsx(target)

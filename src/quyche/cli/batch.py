"""``quyche batch``: a year's set of documents, with progress; SIGTERM stops it as Ctrl-C does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import DiagnosticError, ExitCode, summary_line
from .common import _internal, _print


def _stop_on_sigterm() -> None:
    """``kill`` (SIGTERM, what a service manager sends) stops a batch as Ctrl-C does: finished documents are
    recorded, the rest is left to the next plain run."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading_main():
        signal.signal(signal.SIGTERM, stop)


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def batch(
    files: Annotated[list[Path], typer.Argument(help="Tệp YAML mô tả bộ văn bản (loai: bo_van_ban).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục kết quả.")] = Path("out"),
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Số tiến trình song song (mặc định: số lõi).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè cả tệp đã sửa tay.")] = False,
    register: Annotated[Path | None, typer.Option("--so-dang-ky", help="Tệp sổ đăng ký văn bản đi (SQLite).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Định dạng, cách nhau bởi dấu phẩy: docx, pdf.")] = "docx",
) -> None:
    """Soạn cả bộ văn bản của một năm: mỗi cơ quan phối hợp một chương trình và một giấy mời."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..batch import plan_batch, run_batch

    _stop_on_sigterm()

    formats = tuple(x.strip() for x in fmt.split(",") if x.strip())
    failed = False
    for f in files:
        try:
            plan = plan_batch(f)
        except DiagnosticError as exc:
            _print(exc.diagnostics)
            typer.echo(f"{f}: " + summary_line(exc.diagnostics, wrote_nothing=True), err=True)
            failed = True
            continue
        except Exception as exc:
            _internal(exc)
        _print(plan.warnings)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task(f"{f.name}", total=len(plan.items))

            def step(item_id: str, done: int, total: int, _task=task, _bar=bar) -> None:
                _bar.update(_task, completed=done, total=total, description=item_id)

            try:
                report = run_batch(
                    plan, out, jobs=jobs, force=force, formats=formats, register_path=register, progress=step
                )
            except DiagnosticError as exc:
                _print(exc.diagnostics)
                failed = True
                continue
            except Exception as exc:
                _internal(exc)
        for ma, diags in report.failed.items():
            _print(diags)
            typer.echo(f"{f}: cơ quan {ma}: không tạo được văn bản.", err=True)
        for item in report.protected:
            typer.echo(f"{f}: {item}: tệp đã được sửa tay, giữ nguyên (dùng --force để ghi đè).", err=True)
        typer.echo(
            f"{f} → {report.out_dir}: {len(report.rendered)} văn bản mới, {len(report.skipped)} không đổi, "
            f"{len(report.protected)} giữ nguyên, {len(report.failed)} cơ quan lỗi."
        )
        if report.interrupted:
            typer.echo("đã dừng giữa chừng; chạy lại lệnh để hoàn tất (số đã giữ không bị mất).", err=True)
            raise typer.Exit(130)
        failed = failed or not report.ok
    raise typer.Exit(ExitCode.DOCUMENT_ERRORS if failed else ExitCode.OK)

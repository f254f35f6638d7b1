"""Command line: arguments → API → diagnostics → exit code (0 ok, 1 document errors, 2 usage, 3 internal).

Thin on purpose: every decision lives in the pipeline. Tracebacks only with --debug.
"""

from __future__ import annotations

import logging
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import typer

from .errors import Diagnostic, DiagnosticError, ExitCode, summary_line

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="quyche — soạn văn bản đúng thể thức (NĐ 30/2020, HD 36-HD/VPTW) từ YAML.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="In traceback khi có lỗi nội bộ.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="In từng bước xử lý.")] = False,
) -> None:
    _state["debug"] = debug
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)


@lru_cache(maxsize=32)
def _lines(name: str) -> list[str]:
    """The lines of a file quyche read as its own input, to quote under a diagnostic. A file that was
    not decoded as text (a named file refused, a key, /proc/self/environ) is never echoed."""
    from .source import DECODED, read_text

    if name not in DECODED:
        return []
    try:
        return read_text(Path(name), name).splitlines()
    except DiagnosticError:
        return []


def _print(diags: list[Diagnostic]) -> None:
    for d in diags:
        lines = _lines(d.location.file) if d.location else None
        typer.echo(d.format(lines), err=True)


def _internal(exc: BaseException) -> None:
    if _state["debug"]:
        raise exc
    typer.echo(f"lỗi nội bộ: {type(exc).__name__}: {exc} (chạy lại với --debug để xem chi tiết)", err=True)
    raise typer.Exit(ExitCode.INTERNAL)


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Tệp YAML cần kiểm tra.")]) -> None:
    """Kiểm tra tệp YAML; in mọi lỗi kèm dòng:cột. Không tạo tệp nào."""
    from .pipeline import build

    failed = False
    for f in files:
        try:
            result = build(f)
            _print(result.warnings)
            typer.echo(f"{f}: hợp lệ" + (f" ({len(result.warnings)} cảnh báo)" if result.warnings else "."))
        except DiagnosticError as exc:
            failed = True
            _print(exc.diagnostics)
            typer.echo(summary_line(exc.diagnostics, wrote_nothing=True), err=True)
        except Exception as exc:
            _internal(exc)
    raise typer.Exit(ExitCode.DOCUMENT_ERRORS if failed else ExitCode.OK)


@app.command()
def render(
    files: Annotated[list[Path], typer.Argument(help="Tệp YAML mô tả văn bản.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục kết quả.")] = Path("out"),
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Định dạng, cách nhau bởi dấu phẩy: docx, pdf.")
    ] = "docx,pdf",
    template: Annotated[Path | None, typer.Option("--mau", help="Tệp .docx mẫu (kiểu đã chỉnh trong Word).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè cả tệp đã sửa tay sau khi quyche ghi.")] = False,
) -> None:
    """Soạn văn bản: YAML → .docx và PDF trong thư mục kết quả. Tệp đã sửa tay được giữ nguyên (trừ khi --force)."""
    from .output import OutputError
    from .pipeline import render_to
    from .render import FORMATS, RenderError
    from .written import HandEdited

    formats = tuple(x.strip() for x in fmt.split(",") if x.strip())
    unknown = [x for x in formats if x not in FORMATS]
    if unknown or not formats:
        typer.echo(f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; dùng: {', '.join(FORMATS)}", err=True)
        raise typer.Exit(ExitCode.USAGE)
    if _same_names(files):
        raise typer.Exit(ExitCode.DOCUMENT_ERRORS)
    failed = False
    for f in files:
        try:
            result = render_to(f, out, formats, template, force=force)
            _print(result.warnings)
            for path in result.written:
                typer.echo(f"{f} → {path}")
        except DiagnosticError as exc:
            failed = True
            _print(exc.diagnostics)
            typer.echo(f"{f}: " + summary_line(exc.diagnostics, wrote_nothing=True), err=True)
        except HandEdited as exc:
            failed = True
            _print([Diagnostic.make("tep-da-sua-tay", None, path=str(p)) for p in exc.paths])
        except OutputError as exc:
            failed = True
            typer.echo(f"{f}: lỗi ghi tệp: {exc}", err=True)
        except RenderError as exc:
            typer.echo(f"{f}: {exc}", err=True)
            raise typer.Exit(ExitCode.DOCUMENT_ERRORS) from None
        except OSError as exc:
            failed = True
            typer.echo(f"{f}: không ghi được tệp: {exc.strerror} ({exc.filename})", err=True)
        except Exception as exc:
            _internal(exc)
    raise typer.Exit(ExitCode.DOCUMENT_ERRORS if failed else ExitCode.OK)


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


def _same_names(files: list[Path]) -> bool:
    """Two inputs that would write the same output file (same stem, in any folder or case): located errors
    before anything is rendered."""
    from .output import OutputError, safe_name

    seen: dict[str, Path] = {}
    clash = False
    for f in files:
        try:
            stem = safe_name(f.stem)
        except OutputError:
            continue  # reported with the file itself
        first = seen.setdefault(stem.casefold(), f)
        if first is not f and first != f:
            clash = True
            _print([Diagnostic.make("trung-ten-tep", None, ten=stem, a=str(first), b=str(f))])
    if clash:
        typer.echo("Trùng tên tệp kết quả — không tạo tệp nào.", err=True)
    return clash


@app.command()
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

    from .batch import plan_batch, run_batch

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


@app.command("the-thuc")
def the_thuc(
    name: Annotated[str | None, typer.Argument(help="Tên bộ thể thức, ví dụ nd30-2020.")] = None,
    other: Annotated[str | None, typer.Argument(help="Bộ thứ hai: chỉ in các quy tắc khác nhau.")] = None,
) -> None:
    """Liệt kê các bộ thể thức, các quy tắc của một bộ kèm căn cứ, hoặc chỗ khác nhau giữa hai bộ."""
    from .profile import ProfileError, available_profiles, load_profile

    if name is None:
        for n in available_profiles():
            p = load_profile(n)
            typer.echo(f"{n:12} {p.title}")
        return
    try:
        p = load_profile(name)
        q = load_profile(other) if other else None
    except ProfileError as exc:
        typer.echo(f"không có bộ thể thức {exc.name!r}: {exc.detail}", err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    if q is not None:
        for key, a, b in p.differences(q):
            if a is not None and b is not None and a.value == b.value:
                continue  # same value, other citation: not a difference on the page
            left = "—" if a is None else (a.value if not isinstance(a.value, dict) else "{…}")
            right = "—" if b is None else (b.value if not isinstance(b.value, dict) else "{…}")
            cite = f"[{b.status}] {b.source}" if b else ""
            typer.echo(f"{key:30} {left!s:22} → {right!s:26} {cite}")
        return
    for key, rule in sorted(p.rules.items()):
        value = rule.value if not isinstance(rule.value, dict) else "{…}"
        typer.echo(f"{key:34} {value!s:28} [{rule.status}] {rule.source}")


from .cli_check import check_command  # noqa: E402  (the checker loads on use)
from .cli_register import register_app  # noqa: E402  (imports only typer; the register loads on use)
from .cli_sign import sign_command, verify_command  # noqa: E402  (pyHanko loads on use)

app.add_typer(register_app, name="register")
app.command("sign")(sign_command)
app.command("verify")(verify_command)
app.command("check")(check_command)


def main() -> None:
    from .budget import check_environment

    problems = check_environment()  # a malformed QUYCHE_MAX_* is a usage error, before any work
    for text in problems:
        typer.echo(f"lỗi [bien-moi-truong-sai] {text}", err=True)
    if problems:
        sys.exit(ExitCode.USAGE)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("đã dừng (Ctrl-C).", err=True)
        sys.exit(130)

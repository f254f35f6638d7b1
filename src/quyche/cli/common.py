"""The typer application: options common to every command, diagnostics printing, exit codes
(0 ok, 1 document errors, 2 usage, 3 internal). Tracebacks only with --debug."""

from __future__ import annotations

import gc
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import typer

from ..errors import Diagnostic, DiagnosticError, ExitCode


def new_app() -> typer.Typer:
    """An application with the options common to every command and no command yet (``cli/__init__.py``
    adds them: all of them, or only the one being run)."""
    application = typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        help="quyche — soạn văn bản đúng thể thức (NĐ 30/2020, HD 36-HD/VPTW) từ YAML.",
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    application.callback()(_main)
    return application


_state = {"debug": False, "collector_paused": False}


def pause_collector() -> None:
    """Start-up of a document command: the garbage collector is paused while its modules load. Loading them
    allocates tens of thousands of long-lived objects (modules, classes, pydantic schemas) and no garbage
    cycles, and the collector would walk them again and again for nothing (measured: about a quarter of the
    start-up of ``quyche validate``, typer's and pydantic's import included); ``loaded`` resumes it."""
    gc.disable()
    _state["collector_paused"] = True


def loaded() -> None:
    """The command's modules are imported: what start-up made is moved out of the collector's sight
    (gc.freeze: it lives as long as the process) and collection resumes, for the work itself, as usual.
    Does nothing unless ``pause_collector`` paused it (quyche embedded, tests)."""
    if _state["collector_paused"]:
        _state["collector_paused"] = False
        gc.freeze()
        gc.enable()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"quyche {version('quyche')}")
        raise typer.Exit()


def _main(
    _show_version: Annotated[
        bool, typer.Option("--version", help="In phiên bản rồi thoát.", is_eager=True, callback=_version)
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="In traceback khi có lỗi nội bộ.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="In từng bước xử lý.")] = False,
) -> None:
    _state["debug"] = debug
    if verbose:
        import logging  # only here: pipeline._step logs once logging is loaded

        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)


@lru_cache(maxsize=32)
def _lines(name: str) -> list[str]:
    """The lines of a file quyche read as its own input, to quote under a diagnostic. A file that was
    not decoded as text (a named file refused, a key, /proc/self/environ) is never echoed."""
    from ..source import DECODED, read_text

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


def main(application: typer.Typer) -> None:
    from ..budget import check_environment

    # quyche loads no pydantic plugins: skip pydantic's scan of every installed package's entry points
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

    problems = check_environment()  # a malformed QUYCHE_MAX_* is a usage error, before any work
    for text in problems:
        typer.echo(f"lỗi [bien-moi-truong-sai] {text}", err=True)
    if problems:
        sys.exit(ExitCode.USAGE)
    try:
        application()
    except KeyboardInterrupt:
        typer.echo("đã dừng (Ctrl-C).", err=True)
        sys.exit(130)

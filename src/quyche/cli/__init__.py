"""Command line, one module per command group: ``common`` (the typer app's shared options, diagnostics, exit codes),
``documents`` (validate, render, the-thuc), ``batch``, ``register``, ``sign`` (sign, verify), ``serve``
(serve, nguoi-dung), ``scaffold`` (init, schema), ``check``, ``mau`` (mau tao, mau kiem-tra).
Thin on purpose: every decision lives in the pipeline;
heavy libraries load inside the commands, so that ``quyche --help`` stays fast; and ``main`` builds only
the command being run (typer inspects every registered command's signature before running one)."""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from . import common as _common
from .common import new_app

# Every command by its name on the command line, in the order of `quyche --help`: (module, object, a group
# of subcommands or not). Command modules are thin; heavy libraries load inside the commands.
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "validate": ("documents", "validate", False),
    "render": ("documents", "render", False),
    "batch": ("batch", "batch", False),
    "the-thuc": ("documents", "the_thuc", False),
    "register": ("register", "register_app", True),  # (imports only typer; the register loads on use)
    "serve": ("serve", "serve_command", False),  # (Starlette, uvicorn load on use)
    "nguoi-dung": ("serve", "nguoi_dung_app", True),
    "init": ("scaffold", "init_command", False),  # (starters and schemas are files)
    "schema": ("scaffold", "schema_command", False),
    "sign": ("sign", "sign_command", False),  # (pyHanko loads on use)
    "verify": ("sign", "verify_command", False),
    "check": ("check", "check_command", False),  # (the checker loads on use)
    "mau": ("mau", "mau_app", True),  # (user Word templates; docxtpl loads on use)
}
GLOBAL_FLAGS = frozenset({"--debug", "--verbose", "-v"})  # the options of cli/app.py's callback (no values)
# Commands that call common.loaded() once their modules are imported: the collector is paused until then.
PAUSED_START = frozenset({"validate", "render"})


def build_app(only: str | None = None) -> typer.Typer:
    """The application with every command, or with only ``only`` (help, errors and exit codes unchanged)."""
    application = new_app()
    for name, (module, attr, group) in COMMANDS.items():
        if only is None or name == only:
            target = getattr(import_module(f"{__name__}.{module}"), attr)
            if group:
                application.add_typer(target, name=name)
            else:
                application.command(name)(target)
    return application


def command_of(argv: list[str]) -> str | None:
    """The command named on a command line, when it is one and comes after global flags only."""
    for arg in argv:
        if arg in GLOBAL_FLAGS:
            continue
        return arg if arg in COMMANDS else None
    return None


def __getattr__(name: str) -> typer.Typer:
    """``quyche.cli.app``: the application with every command (for tests and embedding), built on first use."""
    if name == "app":
        application = globals()["app"] = build_app()
        return application
    raise AttributeError(name)


def main() -> None:
    only = command_of(sys.argv[1:])
    if only in PAUSED_START:
        _common.pause_collector()
    _common.main(build_app(only))


__all__ = ["COMMANDS", "app", "build_app", "main"]

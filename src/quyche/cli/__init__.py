"""Command line, one module per command group: ``app`` (the typer app, shared options, diagnostics),
``documents`` (validate, render, the-thuc), ``batch``, ``register``, ``sign`` (sign, verify), ``serve``
(serve, nguoi-dung), ``scaffold`` (init, schema), ``check``, ``mau`` (mau tao, mau kiem-tra).
Thin on purpose: every decision lives in the pipeline;
heavy libraries load inside the commands, so that ``quyche --help`` stays fast."""

from __future__ import annotations

from .app import app, main
from .batch import batch as batch_command
from .check import check_command  # (the checker loads on use)
from .documents import render, the_thuc, validate
from .mau import mau_app  # (user Word templates; docxtpl loads on use)
from .register import register_app  # (imports only typer; the register loads on use)
from .scaffold import init_command, schema_command  # (starters and schemas are files)
from .serve import nguoi_dung_app, serve_command  # (Starlette, uvicorn load on use)
from .sign import sign_command, verify_command  # (pyHanko loads on use)

app.command()(validate)
app.command()(render)
app.command("batch")(batch_command)
app.command("the-thuc")(the_thuc)
app.add_typer(register_app, name="register")
app.command("serve")(serve_command)
app.add_typer(nguoi_dung_app, name="nguoi-dung")
app.command("init")(init_command)
app.command("schema")(schema_command)
app.command("sign")(sign_command)
app.command("verify")(verify_command)
app.command("check")(check_command)
app.add_typer(mau_app, name="mau")

__all__ = ["app", "main"]

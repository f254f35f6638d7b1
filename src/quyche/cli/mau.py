"""``quyche mau …``: user Word templates (mau_word) — a starter per kind, and a check before use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import DiagnosticError, ExitCode

mau_app = typer.Typer(
    no_args_is_help=True, help="Mẫu Word riêng của cơ quan (khóa mau_word trong YAML).", rich_markup_mode=None
)


def _kinds() -> list[str]:
    from ..schema import KINDS

    return list(KINDS)


@mau_app.command("tao")
def tao(
    kind: Annotated[str, typer.Argument(help="Loại văn bản, ví dụ giay_moi, quyet_dinh.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Tệp .docx mẫu cần tạo.")],
    he_thong: Annotated[str, typer.Option("--he-thong", help="nha_nuoc hoặc dang.")] = "nha_nuoc",
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
) -> None:
    """Tạo mẫu Word khởi đầu cho một loại văn bản: chỗ điền bố trí như văn bản dựng sẵn, kèm chú giải biến."""
    from ..output import OutputError, atomic_write
    from ..word.starter import starter_docx

    if kind not in _kinds():
        typer.echo(f"loại văn bản không có: {kind}; dùng: {', '.join(_kinds())}", err=True)
        raise typer.Exit(ExitCode.USAGE)
    if he_thong not in ("nha_nuoc", "dang"):
        typer.echo("--he-thong chỉ nhận nha_nuoc hoặc dang", err=True)
        raise typer.Exit(ExitCode.USAGE)
    if out.suffix.lower() != ".docx":
        typer.echo(f"{out}: tên tệp mẫu phải có đuôi .docx", err=True)
        raise typer.Exit(ExitCode.USAGE)
    if out.exists() and not force:  # a template the office has already restyled is never lost
        typer.echo(f"{out}: tệp đã có, giữ nguyên (dùng --force để ghi đè).", err=True)
        raise typer.Exit(ExitCode.DOCUMENT_ERRORS)
    try:
        atomic_write(out, starter_docx(kind, he_thong))
    except (OutputError, OSError) as exc:
        typer.echo(f"{out}: không ghi được tệp: {exc}", err=True)
        raise typer.Exit(ExitCode.DOCUMENT_ERRORS) from None
    typer.echo(f"{kind} → {out}")


@mau_app.command("kiem-tra")
def kiem_tra(
    files: Annotated[list[Path], typer.Argument(help="Tệp mẫu Word (.docx) cần kiểm tra.")],
    kind: Annotated[str | None, typer.Option("--loai", help="Loại văn bản dùng mẫu: kiểm tra cả tên biến.")] = None,
) -> None:
    """Kiểm tra mẫu Word trước khi dùng: biến lạ, thẻ bị tách, khối không đóng, {%tr %} đặt sai."""
    from ..word.lint import check

    if kind is not None and kind not in _kinds():
        typer.echo(f"loại văn bản không có: {kind}; dùng: {', '.join(_kinds())}", err=True)
        raise typer.Exit(ExitCode.USAGE)
    failed = False
    for f in files:
        try:
            diags = check(str(f), kind)
        except DiagnosticError as exc:
            diags = exc.diagnostics
        for d in diags:
            typer.echo(d.format(), err=True)
        errors = [d for d in diags if d.is_error]
        failed = failed or bool(errors)
        typer.echo(f"{f}: " + (f"{len(errors)} lỗi, {len(diags) - len(errors)} cảnh báo." if diags else "dùng được."))
    raise typer.Exit(ExitCode.DOCUMENT_ERRORS if failed else ExitCode.OK)

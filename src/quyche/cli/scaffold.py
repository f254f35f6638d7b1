"""``quyche init KIND FILE.yaml`` (a commented starter) and ``quyche schema [KIND]`` (the JSON Schema).

Wired in cli/__init__.py with one line each; only typer and the standard library load at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..starters import COMPANIONS, STARTER_KINDS, companion_text, starter_text

_KINDS = ", ".join(STARTER_KINDS)


def init_command(
    kind: Annotated[str, typer.Argument(help=f"Loại văn bản: {_KINDS}.")],
    file: Annotated[Path, typer.Argument(help="Tệp YAML sẽ tạo.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
) -> None:
    """Tạo tệp YAML mẫu có chú thích cho một loại văn bản (hợp lệ ngay, soạn được ngay)."""
    from ..json_schema import SCHEMAS
    from ..output import atomic_write

    if kind not in STARTER_KINDS:
        typer.echo(f"không có loại {kind!r}; dùng: {_KINDS}", err=True)
        raise typer.Exit(2)
    if file.exists() and not force:
        typer.echo(f"lỗi: đã có tệp {file} (dùng --force để ghi đè)", err=True)
        raise typer.Exit(1)
    schema_uri = (SCHEMAS / f"{kind}.json").resolve().as_uri()
    text = f"# yaml-language-server: $schema={schema_uri}\n" + starter_text(kind)
    atomic_write(file, text.encode("utf-8"))
    typer.echo(f"đã tạo {file} ({kind}); kiểm tra: quyche validate {file}")
    for name in COMPANIONS.get(kind, ()):
        companion = file.parent / name
        if companion.exists():
            typer.echo(f"giữ nguyên {companion} (đã có)")
            continue
        atomic_write(companion, companion_text(name).encode("utf-8"))
        typer.echo(f"đã tạo {companion} (danh mục cơ quan mẫu)")


def schema_command(
    kind: Annotated[str | None, typer.Argument(help=f"Loại văn bản: {_KINDS}. Bỏ trống: liệt kê các tệp.")] = None,
) -> None:
    """In JSON Schema của một loại văn bản (tên và mô tả tiếng Việt cho mọi trường), dùng cho VS Code."""
    from ..json_schema import SCHEMAS

    if kind is None:
        for k in STARTER_KINDS:
            typer.echo(f"{k:14} {(SCHEMAS / f'{k}.json').resolve()}")
        return
    if kind not in STARTER_KINDS:
        typer.echo(f"không có loại {kind!r}; dùng: {_KINDS}", err=True)
        raise typer.Exit(2)
    typer.echo((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"), nl=False)

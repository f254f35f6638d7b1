"""``quyche serve`` (the local web editor) and ``quyche nguoi-dung`` (its accounts).

Wired in cli/__init__.py with one line each. Only typer is imported here at module level: Starlette, uvicorn and
argon2 load when a command runs, so ``quyche --help`` stays fast. Exit status: 0 ok, 1 refused, 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

nguoi_dung_app = typer.Typer(
    help="Tài khoản của trình soạn thảo dùng chung (quyche serve --host …): thêm, xóa, liệt kê.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

FolderOpt = Annotated[
    Path, typer.Option("--thu-muc", help="Thư mục làm việc (mặc định: thư mục hiện tại); tài khoản nằm trong .quyche/.")
]
_WEB_MISSING = "quyche serve cần gói web: pip install 'quyche[web]'."


def _accounts(folder: Path):
    try:
        import argon2  # noqa: F401  (the optional [web] extra)
    except ImportError:
        typer.echo(_WEB_MISSING, err=True)
        raise typer.Exit(1) from None
    from ..web.accounts import Accounts

    if not folder.is_dir():
        typer.echo(f"không có thư mục {folder}", err=True)
        raise typer.Exit(2)
    return Accounts(folder.resolve() / ".quyche")


def serve_command(
    folder: Annotated[Path, typer.Argument(help="Thư mục các tệp YAML (mặc định: thư mục hiện tại).")] = Path("."),
    port: Annotated[int, typer.Option("--port", help="Cổng.")] = 8321,
    host: Annotated[
        str,
        typer.Option("--host", help="Địa chỉ nghe; khác 127.0.0.1 (dùng chung trong mạng) thì cần tài khoản."),
    ] = "127.0.0.1",
) -> None:
    """Trình soạn thảo trên trình duyệt: biểu mẫu, YAML, xem trước khổ A4, tải .docx/PDF, bộ văn bản, sổ đăng ký."""
    try:
        import starlette  # noqa: F401  (the optional [web] extra)
        import uvicorn
    except ImportError:
        typer.echo(_WEB_MISSING, err=True)
        raise typer.Exit(1) from None
    from ..web.app import LanWithoutAccounts, create_app
    from ..web.workspace import PathRefused

    try:
        app = create_app(folder, host, port)
    except PathRefused as exc:
        typer.echo(f"lỗi: {exc}", err=True)
        raise typer.Exit(2) from None
    except LanWithoutAccounts:
        typer.echo(
            f"lỗi: nghe ở {host} là cho cả mạng dùng, cần tài khoản trước. Tạo bằng:\n"
            f"   quyche nguoi-dung them TÊN --vai-tro soan-thao|van-thu|quan-tri --thu-muc {folder}\n"
            "hoặc bỏ --host để chỉ dùng trên máy này (127.0.0.1).",
            err=True,
        )
        raise typer.Exit(1) from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"quyche: thư mục {Path(folder).resolve()} — mở http://{shown}:{port}/ (Ctrl-C để dừng)", err=True)
    app.state.editor.pool.warm()
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=200, timeout_keep_alive=5,
                server_header=False)  # fmt: skip


@nguoi_dung_app.command("them")
def them(
    ten: Annotated[str, typer.Argument(help="Tên đăng nhập (chữ thường không dấu, số, . _ -).")],
    vai_tro: Annotated[str, typer.Option("--vai-tro", help="soan-thao, van-thu hoặc quan-tri.")],
    folder: FolderOpt = Path("."),
    stdin: Annotated[bool, typer.Option("--mat-khau-stdin", help="Đọc mật khẩu từ dòng đầu của stdin.")] = False,
    replace: Annotated[bool, typer.Option("--thay", help="Đổi mật khẩu và vai trò của người dùng đã có.")] = False,
) -> None:
    """Thêm người dùng (mật khẩu lưu bằng băm argon2id trong .quyche/nguoi-dung.json, quyền 0600)."""
    from_stdin = sys.stdin.readline().rstrip("\r\n") if stdin else None
    accounts = _accounts(folder)
    from ..web.accounts import AccountError

    password = from_stdin if stdin else typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại")
    try:
        user = accounts.add(ten, vai_tro, password, replace=replace)
    except AccountError as exc:
        typer.echo(f"lỗi: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"đã thêm {user.ten} ({user.vai_tro}) vào {accounts.path}")


@nguoi_dung_app.command("xoa")
def xoa(ten: Annotated[str, typer.Argument(help="Tên đăng nhập.")], folder: FolderOpt = Path(".")) -> None:
    """Xóa người dùng."""
    accounts = _accounts(folder)
    from ..web.accounts import AccountError

    try:
        accounts.remove(ten)
    except AccountError as exc:
        typer.echo(f"lỗi: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"đã xóa {ten}")


@nguoi_dung_app.command("danh-sach")
def danh_sach(folder: FolderOpt = Path(".")) -> None:
    """Liệt kê người dùng và vai trò."""
    for user in _accounts(folder).users():
        typer.echo(f"{user.ten:24} {user.vai_tro}")

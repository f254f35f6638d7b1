"""Command line for ``quyche check``: audit .docx and PDF files against the profiles, and ``--sua`` the safe
fixes into a new .docx. Registered by quyche.cli (``app.command("check")(check_command)``); the checker and
its readers are imported when the command runs, so ``quyche --help`` stays fast.

Exit codes: 0 every file clean; 1 a problem found (lỗi or cảnh báo) or a file that cannot be read; 2 wrong
use of the command; 3 an internal bug.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer

OK, PROBLEMS, USAGE, INTERNAL = 0, 1, 2, 3  # quyche.errors.ExitCode
DOC_SUFFIXES = (".docx", ".pdf")


def expand(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """The documents to check and the files passed over: a folder gives every .docx and PDF under it (a year's
    outputs, batches in subfolders; Word's "~$" lock files left out); another existing file that is neither
    (``quyche check out/*`` meets the sidecar .json, the register) is passed over and said so. A missing file or
    a .docx/.pdf that is not a regular file stays, and is reported with its code."""
    targets: list[Path] = []
    skipped: list[Path] = []
    for f in files:
        if f.is_dir():
            targets.extend(
                sorted(p for p in f.rglob("*") if p.suffix.lower() in DOC_SUFFIXES and not p.name.startswith("~$"))
            )
        elif f.suffix.lower() in DOC_SUFFIXES or not f.exists():
            targets.append(f)
        else:
            skipped.append(f)
    return targets, skipped


def _usage(message: str) -> NoReturn:
    typer.echo(f"lỗi cách dùng: {message}", err=True)
    raise typer.Exit(USAGE)


def _internal(ctx: typer.Context, exc: BaseException) -> NoReturn:
    if ctx.find_root().params.get("debug"):
        raise exc
    typer.echo(f"lỗi nội bộ: {type(exc).__name__}: {exc} (chạy lại với --debug để xem chi tiết)", err=True)
    raise typer.Exit(INTERNAL)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Tệp .docx hoặc PDF cần kiểm tra thể thức, hoặc thư mục chứa chúng.")
    ],
    the_thuc: Annotated[
        str | None, typer.Option("--the-thuc", help="Bộ thể thức dùng để kiểm tra (mặc định: đoán từ văn bản).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    sua: Annotated[
        bool, typer.Option("--sua", help="Sửa các lỗi không làm đổi nội dung, ghi ra tệp mới (-o).")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Tệp .docx mới sau khi sửa (cùng --sua).")] = None,
) -> None:
    """Kiểm tra thể thức văn bản .docx, PDF theo NĐ 30/2020, HD 36-HD/VPTW; --sua sửa lỗi an toàn ra tệp mới."""
    if the_thuc is not None:
        from ..profile import ProfileError, load_profile

        try:
            load_profile(the_thuc)
        except ProfileError as exc:
            _usage(f"không có bộ thể thức {the_thuc!r} ({exc.detail}); có: {', '.join(exc.choices)}")
    if sua:
        if out is None:
            _usage("--sua cần -o TỆP_MỚI.docx (không bao giờ ghi đè tệp gốc)")
        if len(files) != 1:
            _usage("--sua sửa một tệp mỗi lần")
        if _same_file(files[0], out):
            _usage("-o trùng tệp gốc; --sua chỉ ghi ra tệp mới")
        if out.suffix.lower() != ".docx":
            _usage("-o phải là tệp .docx")
    elif out is not None:
        _usage("-o chỉ dùng cùng --sua")
    skipped: list[Path] = []
    if not sua:
        files, skipped = expand(files)
        if not files:
            _usage("không có tệp .docx hay PDF nào để kiểm tra")
    try:
        code = _run(files, the_thuc, as_json, out if sua else None, skipped)
    except typer.Exit:
        raise
    except Exception as exc:
        _internal(ctx, exc)
    raise typer.Exit(code)


def _run(
    files: list[Path], profile: str | None, as_json: bool, fix_to: Path | None, skipped: list[Path] | None = None
) -> int:
    from ..check import check_file
    from ..check.report import as_json as to_json
    from ..check.report import dumps, format_text

    items = []
    failed = False
    for f in files:
        result = check_file(f, profile)
        failed = failed or not result.clean
        if fix_to is not None:
            return _fix(result, fix_to, profile, as_json)
        if as_json:
            items.append(to_json(result))
        else:
            for line in format_text(result):
                typer.echo(line)
    if as_json:
        typer.echo(dumps(items, [str(p) for p in skipped or []]))
    else:
        for p in skipped or []:
            typer.echo(f"{p}: bỏ qua (không phải .docx hay PDF)")
    return PROBLEMS if failed else OK


def _fix(result, target: Path, profile: str | None, as_json: bool) -> int:
    from ..check import check_file
    from ..check.fixes import apply_fixes
    from ..check.report import as_json as to_json
    from ..check.report import dumps, format_text
    from ..output import atomic_write

    if result.failure is not None or result.fmt != "docx":
        if result.failure is None:
            typer.echo(f"{result.path}: --sua chỉ sửa tệp .docx; PDF chỉ được kiểm tra.", err=True)
            return USAGE
        for line in format_text(result):
            typer.echo(line)
        return PROBLEMS
    data, applied = apply_fixes(result)
    try:
        atomic_write(target, data)
    except OSError as exc:
        typer.echo(f"{target}: lỗi [khong-ghi-duoc] không ghi được tệp: {exc.strerror}", err=True)
        return PROBLEMS
    after = check_file(target, profile)
    if as_json:
        typer.echo(dumps([to_json(after, applied, str(target), result.path)]))
    else:
        typer.echo(f"{result.path} → {target}: đã sửa {len(applied)} lỗi:")
        for line in applied:
            typer.echo(f"  - {line}")
        if after.clean:
            typer.echo(f"{target}: đúng thể thức, không còn lỗi.")
        else:
            typer.echo("Còn lại, cần người sửa:")
            for line in format_text(after)[1:]:
                typer.echo(line)
    return OK if after.clean else PROBLEMS

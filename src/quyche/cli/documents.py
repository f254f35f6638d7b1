"""``quyche validate``, ``quyche render``, ``quyche the-thuc``: one document at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import Diagnostic, DiagnosticError, ExitCode, summary_line
from .common import _internal, _print, loaded


def validate(files: Annotated[list[Path], typer.Argument(help="Tệp YAML cần kiểm tra.")]) -> None:
    """Kiểm tra tệp YAML; in mọi lỗi kèm dòng:cột. Không tạo tệp nào."""
    from ..pipeline import build

    loaded()

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
    from ..output import OutputError
    from ..pipeline import render_to
    from ..render import FORMATS, RenderError
    from ..written import HandEdited

    loaded()

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


def _same_names(files: list[Path]) -> bool:
    """Two inputs that would write the same output file (same stem, in any folder or case): located errors
    before anything is rendered."""
    from ..output import OutputError, safe_name

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


def the_thuc(
    name: Annotated[str | None, typer.Argument(help="Tên bộ thể thức, ví dụ nd30-2020.")] = None,
    other: Annotated[str | None, typer.Argument(help="Bộ thứ hai: chỉ in các quy tắc khác nhau.")] = None,
) -> None:
    """Liệt kê các bộ thể thức, các quy tắc của một bộ kèm căn cứ, hoặc chỗ khác nhau giữa hai bộ."""
    from ..profile import ProfileError, available_profiles, load_profile

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

"""Command line for digital signatures: ``quyche sign`` and ``quyche verify``.

Two plain typer command functions, registered by quyche.cli:

    app.command("sign")(sign_command)
    app.command("verify")(verify_command)

Only typer and the standard library are imported here: pyHanko is loaded when a command runs, so that
``quyche --help`` and the other commands start as fast as before. Exit codes: 0 ok; 1 when a signature is
broken or not trusted, or on any user error (wrong password, expired certificate or one that may not sign,
unknown field, not a PDF …); 2 for a wrong combination of options.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

OK, FAILED, USAGE, INTERNAL = 0, 1, 2, 3  # quyche.errors.ExitCode: OK / DOCUMENT_ERRORS / usage / INTERNAL
PASSWORD_ENV = "QUYCHE_P12_PASSWORD"
PIN_ENV = "QUYCHE_PIN"
TSA_ENV = "QUYCHE_TSA_URL"


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    """pyHanko and fontTools log expected events (an untrusted self-signed certificate, a dropped font table)
    as warnings with tracebacks; the command reports the outcome itself. --verbose keeps them."""
    if logging.getLogger().handlers:  # the user asked for logging (quyche --verbose)
        yield
        return
    from ..quiet import silenced

    with silenced("pyhanko", "pyhanko_certvalidator", "fontTools"):
        yield


def _internal(ctx: typer.Context, exc: BaseException) -> NoReturn:
    """An unexpected failure: one line, or the traceback with ``quyche --debug`` (the main app's option)."""
    if ctx.find_root().params.get("debug"):
        raise exc
    typer.echo(f"lỗi nội bộ: {type(exc).__name__}: {exc} (chạy lại với --debug để xem chi tiết)", err=True)
    raise typer.Exit(INTERNAL)


def _missing_pdf_extra() -> NoReturn:
    typer.echo("lỗi: chưa cài phần ký số của quyche (pyHanko); cài bằng lệnh: pip install 'quyche[pdf]'.", err=True)
    raise typer.Exit(FAILED)


def _default_output(file: Path) -> Path:
    return file.with_name(f"{file.stem}-da-ky.pdf")


def _password(p12: Path | None, given: str | None) -> bytes | None:
    """--mat-khau, else QUYCHE_P12_PASSWORD (typer reads it into ``given``), else asked when interactive."""
    if given is not None:
        return given.encode("utf-8")
    if p12 is not None and sys.stdin.isatty():
        return typer.prompt(f"Mật khẩu của {p12.name}", hide_input=True, default="", show_default=False).encode()
    return None


def sign_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="Tệp PDF cần ký (không bị sửa; bản đã ký ghi ra tệp khác); nhiều tệp: ký từng tệp."),
    ],
    p12: Annotated[Path | None, typer.Option("--p12", help="Tệp chứng thư số kèm khóa bí mật (.p12, .pfx).")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--mat-khau",
            "--password",
            envvar=PASSWORD_ENV,
            help=f"Mật khẩu tệp .p12. Nên dùng biến môi trường {PASSWORD_ENV} hoặc gõ khi được hỏi, "
            "vì mật khẩu ghi trên dòng lệnh có thể bị người khác xem.",
            show_envvar=False,
        ),
    ] = None,
    field: Annotated[
        str | None,
        typer.Option("--field", "--o-ky", help="Tên ô ký (mỗi người ký có một ô; bỏ trống nếu chỉ có một ô)."),
    ] = None,
    image: Annotated[
        Path | None,
        typer.Option("--image", "--anh-chu-ky", help="Ảnh chữ ký của người ký: PNG màu xanh, nền trong suốt."),
    ] = None,
    seal: Annotated[
        Path | None,
        typer.Option("--seal", "--anh-dau", help="Ảnh dấu của cơ quan: PNG màu đỏ, nền trong suốt, đúng cỡ thật."),
    ] = None,
    seal_mm: Annotated[
        float | None,
        typer.Option("--co-dau", min=10.0, max=80.0, help="Đường kính thật của dấu (mm), khi ảnh dấu không ghi DPI."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Tệp PDF đã ký (mặc định: TÊN-da-ky.pdf cạnh tệp gốc); nhiều tệp: thư mục kết quả."
        ),
    ] = None,
    reason: Annotated[str | None, typer.Option("--ly-do", "--reason", help="Lý do ký (ghi trong chữ ký).")] = None,
    location: Annotated[str | None, typer.Option("--dia-diem", "--location", help="Nơi ký (ghi trong chữ ký).")] = None,
    tsa: Annotated[
        str | None,
        typer.Option(
            "--tsa",
            envvar=TSA_ENV,
            show_envvar=False,
            help=f"Địa chỉ máy chủ cấp dấu thời gian (RFC 3161) → PAdES B-T; hoặc biến {TSA_ENV}.",
        ),
    ] = None,
    pkcs11_lib: Annotated[
        Path | None,
        typer.Option("--pkcs11-lib", help="Thư viện PKCS#11 của USB token (.so, .dll) thay cho --p12."),
    ] = None,
    token: Annotated[str | None, typer.Option("--token", help="Nhãn của USB token (PKCS#11).")] = None,
    key_label: Annotated[str | None, typer.Option("--key-label", help="Nhãn khóa trên USB token (PKCS#11).")] = None,
    pin: Annotated[
        str | None,
        typer.Option("--pin", envvar=PIN_ENV, show_envvar=False, help=f"Mã PIN của USB token; hoặc biến {PIN_ENV}."),
    ] = None,
    prepare: Annotated[
        bool,
        typer.Option(
            "--chuan-bi",
            help="Ký từ xa, bước 1: ghi tệp đã chuẩn bị, tệp .tbs (dữ liệu cần ký) và in mã băm SHA-256 để gửi "
            "dịch vụ ký (cần --chung-thu).",
        ),
    ] = False,
    certificate: Annotated[
        Path | None,
        typer.Option("--chung-thu", help="Chứng thư số của người ký (.pem/.cer, kèm chuỗi CA nếu có) cho --chuan-bi."),
    ] = None,
    finish: Annotated[
        Path | None,
        typer.Option("--hoan-tat", help="Ký từ xa, bước 2: tệp chữ ký dịch vụ trả về (nhị phân hoặc base64)."),
    ] = None,
    long_term: Annotated[
        bool,
        typer.Option(
            "--dai-han",
            help="Nhúng dữ liệu thu hồi (OCSP/CRL) lấy từ CA: PAdES B-LT khi kèm --tsa; cần chứng thư gốc tin cậy.",
        ),
    ] = False,
    trust: Annotated[
        list[Path] | None,
        typer.Option("--tin-cay", "--trust", help="Chứng thư gốc tin cậy cho --dai-han (ngoài danh sách tin cậy)."),
    ] = None,
) -> None:
    """Ký số tệp PDF (PAdES): ảnh chữ ký, ảnh dấu và thời điểm ký theo NĐ 30/2020; USB token; ký từ xa."""
    if (prepare or finish is not None) and len(files) != 1:
        typer.echo("lỗi: ký từ xa (--chuan-bi, --hoan-tat) làm với từng tệp một.", err=True)
        raise typer.Exit(USAGE)
    if prepare and finish is not None:
        typer.echo("lỗi: --chuan-bi và --hoan-tat là hai bước riêng; chạy từng bước một.", err=True)
        raise typer.Exit(USAGE)
    if prepare and certificate is None:
        typer.echo("lỗi: --chuan-bi cần chứng thư số của người ký: --chung-thu CHUNG-THU.pem.", err=True)
        raise typer.Exit(USAGE)
    with _quiet_libraries():
        if prepare or finish is not None:
            _remote_step(
                ctx, files[0], out=out, certificate=certificate, finish=finish, field=field, image=image,
                seal=seal, seal_mm=seal_mm, reason=reason, location=location, tsa=tsa,
            )  # fmt: skip
            return
        if pkcs11_lib is not None or key_label is not None or token is not None:
            if pin is None and sys.stdin.isatty():
                pin = typer.prompt("Mã PIN của USB token", hide_input=True, default="", show_default=False) or None
            secret = None
        else:
            secret = _password(p12, password)
        targets = [_target(file, out, several=len(files) > 1) for file in files]
        clash = [t for t in dict.fromkeys(targets) if targets.count(t) > 1]
        if clash:  # two inputs named alike in different folders: one signed copy would replace the other
            typer.echo(f"lỗi [trung-ten-tep] Nhiều tệp sẽ cùng ghi ra {clash[0]}; không ký tệp nào.", err=True)
            raise typer.Exit(FAILED)
        failed = False
        for file, target in zip(files, targets, strict=True):
            failed |= _sign(
                ctx, file, target=target, p12=p12, password=secret,
                field=field, image=image, seal=seal, seal_mm=seal_mm, reason=reason, location=location, tsa=tsa,
                pkcs11_lib=pkcs11_lib, token=token, key_label=key_label, pin=pin, long_term=long_term,
                trust=trust or [],
            )  # fmt: skip
    raise typer.Exit(FAILED if failed else OK)


def _target(file: Path, out: Path | None, *, several: bool) -> Path:
    """Where the signed copy goes: -o as given for one file; for several (or an existing folder), -o is the
    folder that receives TÊN-da-ky.pdf; without -o, TÊN-da-ky.pdf beside each file."""
    if out is None:
        return _default_output(file)
    if several or out.is_dir():
        return out / _default_output(file).name
    return out


def _sign(
    ctx: typer.Context, file: Path, *, target: Path, p12: Path | None, password: bytes | None, field: str | None,
    image: Path | None, seal: Path | None, seal_mm: float | None, reason: str | None, location: str | None,
    tsa: str | None, pkcs11_lib: Path | None, token: str | None, key_label: str | None, pin: str | None,
    long_term: bool, trust: list[Path],
) -> bool:  # fmt: skip
    """Sign one file and report it; True when it failed (the message is printed)."""
    try:
        from ..sign import SignError, format_vn_time, sign_pdf
    except ImportError:
        _missing_pdf_extra()
    try:
        result = sign_pdf(
            file, target, p12, password,
            field=field, image=image, seal=seal, seal_size_mm=seal_mm, timestamp_url=tsa or None,
            reason=reason, location=location, pkcs11_lib=pkcs11_lib, pkcs11_token_label=token,
            pkcs11_key_label=key_label, pin=pin, long_term=long_term, trust_roots=trust,
        )  # fmt: skip
    except SignError as exc:
        typer.echo(f"{file}: {exc.format()}", err=True)
        return True
    except OSError as exc:
        typer.echo(f"{file}: không ghi được tệp: {exc.strerror} ({exc.filename})", err=True)
        return True
    except Exception as exc:
        _internal(ctx, exc)
    report_signed(file, result, format_vn_time)
    return False


def report_signed(file: Path, result: Any, format_vn_time: Any) -> None:
    for warning in result.warnings:
        typer.echo(f"{file}: cảnh báo: {warning}", err=True)
    typer.echo(f"{file} → {result.output}")
    added = " (ô ký mới ở trang cuối)" if result.created_field else ""
    kind = "PAdES B-T, có dấu thời gian" if result.timestamped else "PAdES B-B"
    if result.long_term:
        kind = "PAdES B-LT: dấu thời gian và dữ liệu thu hồi" if result.timestamped else "PAdES B-B, có dữ liệu thu hồi"
    typer.echo(
        f"   ô ký {result.field}{added}; người ký: {result.signer}; "
        f"ký ngày {format_vn_time(result.signing_time)} ({kind})"
    )


def _remote_step(
    ctx: typer.Context, file: Path, *, out: Path | None, certificate: Path | None, finish: Path | None,
    field: str | None, image: Path | None, seal: Path | None, seal_mm: float | None, reason: str | None,
    location: str | None, tsa: str | None,
) -> None:  # fmt: skip
    """Two-step signing for a remote service (quyche.sign.remote): --chuan-bi, then --hoan-tat."""
    try:
        from ..sign import SignError, format_vn_time
        from ..sign.remote import finish_remote, load_chain, prepare_remote, state_path, tbs_path
    except ImportError:
        _missing_pdf_extra()
    try:
        if finish is None:
            assert certificate is not None
            target = out or file.with_name(f"{file.stem}-chuan-bi.pdf")
            tbs, prepared = prepare_remote(
                file, target, load_chain(certificate), field=field, image=image, seal=seal, seal_size_mm=seal_mm,
                reason=reason, location=location,
            )  # fmt: skip
        else:
            from ..sign.inputs import _read_file

            signature = _read_file(finish, "tệp chữ ký", "sig_contents")
            result = finish_remote(file, signature, out or _default_output(file), timestamp_url=tsa or None)
    except SignError as exc:
        typer.echo(f"{file}: {exc.format()}", err=True)
        raise typer.Exit(FAILED) from None
    except OSError as exc:
        typer.echo(f"{file}: không ghi được tệp: {exc.strerror} ({exc.filename})", err=True)
        raise typer.Exit(FAILED) from None
    except Exception as exc:
        _internal(ctx, exc)
    if finish is not None:
        report_signed(file, result, format_vn_time)
        return
    import hashlib

    for warning in dict.fromkeys(prepared.warnings):
        typer.echo(f"{file}: cảnh báo: {warning}", err=True)
    typer.echo(f"{file} → {target} (đã chuẩn bị, chưa ký)")
    typer.echo(f"   ô ký {prepared.target.name}; người ký: {prepared.signer_name}")
    typer.echo(f"   dữ liệu cần ký: {tbs_path(target)}; trạng thái: {state_path(target)}")
    typer.echo(f"   SHA-256 cần ký: {hashlib.sha256(tbs).hexdigest()}")
    typer.echo(f"   bước 2: quyche sign {target} --hoan-tat CHU-KY.bin -o TÊN-da-ky.pdf")


# What changed after a signature, exactly (a metadata update is not "a signature added").
_CHANGES = {
    "signatures": ", sau đó có thêm chữ ký",
    "timestamps": ", sau đó có thêm dấu thời gian",
    "form": ", sau đó có điền trường biểu mẫu (không thêm chữ ký)",
    "metadata": ", sau đó chỉ cập nhật siêu dữ liệu (không thêm chữ ký)",
    "annotations": ", sau đó có thêm ghi chú",
}


def verify_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Tệp PDF đã ký cần kiểm tra.")],
    trust: Annotated[
        list[Path] | None,
        typer.Option(
            "--tin-cay",
            "--trust",
            help="Chứng thư gốc được tin cậy (.cer, .crt, .pem, hoặc thư mục chứa chúng), ví dụ Root CA quốc gia; "
            "ghi nhiều lần được. Ngoài ra: biến QUYCHE_TRUST và thư mục ~/.config/quyche/tin-cay/.",
        ),
    ] = None,
) -> None:
    """Kiểm tra chữ ký số trong tệp PDF: mỗi chữ ký một dòng (người ký, thời điểm ký, nguyên vẹn, tin cậy).

    Mã thoát 0 chỉ khi mọi chữ ký nguyên vẹn VÀ chứng thư dẫn tới chứng thư gốc được tin cậy."""
    with _quiet_libraries():
        failed = _verify(ctx, files, trust or [])
    raise typer.Exit(FAILED if failed else OK)


def _verify(ctx: typer.Context, files: list[Path], trust: list[Path]) -> bool:
    """One line per signature; True when a file or a signature failed."""
    try:
        from ..sign import SignError, format_vn_time, verify_pdf
    except ImportError:
        _missing_pdf_extra()
    failed = False
    for file in files:
        try:
            statuses = verify_pdf(file, trust_roots=trust)
        except SignError as exc:
            typer.echo(f"{file}: {exc.format()}", err=True)
            failed = True
            continue
        except Exception as exc:
            _internal(ctx, exc)
        if not statuses:
            typer.echo(f"{file}: không có chữ ký số nào.", err=True)
            failed = True
            continue
        for s in statuses:
            when = s.time
            time_text = "không rõ thời điểm ký" if when is None else f"ký ngày {format_vn_time(when)}"
            if s.timestamp_time is not None:
                time_text += " (dấu thời gian)"
            if s.valid:
                verdict = "nguyên vẹn"
                verdict += _CHANGES.get(s.modification, "")
                if s.trusted:
                    verdict += "; chứng thư được tin cậy"
                    verdict += "; có dữ liệu thu hồi nhúng (dài hạn)" if s.revocation_embedded else ""
                else:  # intact but not trusted: not a valid signature for a record (exit 1), with the reason
                    failed = True
                    verdict += f"; CHƯA ĐƯỢC TIN CẬY: {s.trust_problem or 'chứng thư chưa được tin cậy'}"
                if s.problem:
                    verdict += f"; cảnh báo: {s.problem}"
            else:
                failed = True
                verdict = "ĐÃ BỊ SỬA ĐỔI" + (f" ({s.problem})" if s.problem else "")
            typer.echo(f"{file}: [{s.field}] {s.signer or '(không rõ người ký)'} — {time_text} — {verdict}")
    return failed

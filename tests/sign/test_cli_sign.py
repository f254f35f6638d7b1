"""``quyche sign`` / ``quyche verify`` through a tiny typer app that registers the two command functions the
way quyche.cli is asked to (app.command("sign")(sign_command))."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from quyche.cli.sign import sign_command, verify_command

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
app.command("sign")(sign_command)
app.command("verify")(verify_command)
runner = CliRunner()


def _run(*args: str | Path, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture
def signed(kit, pki, images, pdf_one: Path) -> Path:
    r = _run("sign", pdf_one, "--p12", pki["valid"].p12, "--image", images["signer"], "--seal", images["seal"],
             env={"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()})  # fmt: skip
    assert r.exit_code == 0, r.output
    out = pdf_one.with_name("giay-moi-da-ky.pdf")  # the default output name
    assert out.is_file()
    assert f"{pdf_one} → {out}" in r.stdout
    assert kit.FIELD_1 in r.stdout and kit.SIGNER in r.stdout and "+07:00" in r.stdout
    return out


def test_sign_then_verify_untrusted_exits_1(kit, signed: Path) -> None:
    r = _run("verify", signed)  # intact, but no trusted root: not a signature to rely on
    assert r.exit_code == 1, r.output
    [line] = r.stdout.splitlines()
    assert f"[{kit.FIELD_1}] {kit.SIGNER} — ký ngày " in line and "+07:00" in line
    assert "nguyên vẹn; CHƯA ĐƯỢC TIN CẬY: chưa có chứng thư gốc nào được tin cậy" in line


def test_verify_with_trust_root(kit, pki, signed: Path) -> None:
    r = _run("verify", signed, "--tin-cay", pki["valid"].cert_pem)
    assert r.exit_code == 0, r.output
    assert "nguyên vẹn; chứng thư được tin cậy" in r.stdout


def test_verify_tampered_exits_1(kit, signed: Path, tmp_path: Path) -> None:
    data = bytearray(signed.read_bytes())
    data[data.index(kit.BODY_TEXT) + 4] ^= 0x20  # "Noi dung" → "Noi Dung"
    tampered = tmp_path / "bi-sua.pdf"
    tampered.write_bytes(bytes(data))
    r = _run("verify", signed, tampered)
    assert r.exit_code == 1
    good, bad = r.stdout.splitlines()
    assert "nguyên vẹn" in good
    assert str(tampered) in bad and "ĐÃ BỊ SỬA ĐỔI" in bad


def test_sign_with_password_option_and_output(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "ket-qua" / "ky.pdf"
    r = _run("sign", pdf_one, "--p12", pki["valid"].p12, "--mat-khau", kit.PASSWORD.decode(), "--field", kit.FIELD_1,
             "-o", out)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert out.is_file()


def test_wrong_password_exits_1(pki, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    r = _run("sign", pdf_one, "--p12", pki["valid"].p12, "--password", "sai", "-o", out)
    assert r.exit_code == 1
    assert "[p12-sai-mat-khau]" in r.stderr and "gợi ý:" in r.stderr
    assert not out.exists()


def test_expired_exits_1(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    r = _run("sign", pdf_one, "--p12", pki["expired"].p12, "--mat-khau", kit.PASSWORD.decode(), "-o", out)
    assert r.exit_code == 1
    assert "[chung-thu-het-han]" in r.stderr and "05/03/2024" in r.stderr


def test_unknown_field_exits_1(kit, pki, pdf_two: Path, tmp_path: Path) -> None:
    r = _run("sign", pdf_two, "--p12", pki["valid"].p12, "--mat-khau", kit.PASSWORD.decode(), "--field", "khong-co",
             "-o", tmp_path / "o.pdf")  # fmt: skip
    assert r.exit_code == 1
    assert "[o-ky-khong-co]" in r.stderr and kit.FIELD_1 in r.stderr and kit.FIELD_2 in r.stderr


def test_not_a_pdf_exits_1(kit, pki, tmp_path: Path) -> None:
    fake = tmp_path / "a.pdf"
    fake.write_text("không phải PDF", encoding="utf-8")
    r = _run("sign", fake, "--p12", pki["valid"].p12, "--mat-khau", kit.PASSWORD.decode())
    assert r.exit_code == 1 and "[khong-phai-pdf]" in r.stderr
    r = _run("verify", fake)
    assert r.exit_code == 1 and "[khong-phai-pdf]" in r.stderr


def test_verify_unsigned_exits_1(pdf_one: Path) -> None:
    r = _run("verify", pdf_one)
    assert r.exit_code == 1 and "không có chữ ký số" in r.stderr


def test_no_library_noise_on_stderr(kit, signed: Path) -> None:
    r = _run("verify", signed)  # pyHanko logs the untrusted self-signed certificate with a traceback
    assert "Traceback" not in r.output


def test_module_imports_only_typer_and_stdlib() -> None:
    heavy = ("pyhanko", "PIL", "cryptography")
    code = f"import sys, quyche.cli.sign; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_no_library_noise_from_the_python_api(signed: Path) -> None:
    """quyche.sign.verify_pdf in a plain script (no logging configured): pyHanko's traceback for the
    self-signed certificate must not reach stderr through Python's last-resort handler."""
    code = f"from quyche.sign import verify_pdf; [s] = verify_pdf({str(signed)!r}); assert s.valid"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "self-signed" not in r.stderr, r.stderr

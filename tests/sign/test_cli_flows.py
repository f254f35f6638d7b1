"""The command line for the new flows: several PDFs signed each in its signer's field, the remote two-step
with openssl as the service (a separate process), and verify's exit code meaning intact AND trusted."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import typer
from typer.testing import CliRunner

from quyche.cli.sign import sign_command, verify_command

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
app.command("sign")(sign_command)
app.command("verify")(verify_command)
runner = CliRunner()


def _run(*args: str | Path, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_several_pdfs_each_in_the_signers_field(kit, pki, tmp_path: Path) -> None:
    # a batch's output: each document has its own pair of fields, in its own order
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(kit.make_pdf((kit.FIELD_1, kit.FIELD_2)))
    b.write_bytes(kit.make_pdf(("chu-ky-tinh-doan-le-van-c", "chu-ky-hoi-nguyen-van-yen")))
    out = tmp_path / "da-ky"
    r = _run("sign", a, b, "--p12", pki["issued"].p12, "-o", out, env={"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()})
    assert r.exit_code == 0, r.output
    assert f"ô ký {kit.FIELD_1};" in r.stdout and "ô ký chu-ky-hoi-nguyen-van-yen;" in r.stdout
    signed = sorted(out.iterdir())
    assert [p.name for p in signed] == ["a-da-ky.pdf", "b-da-ky.pdf"]
    r = _run("verify", *signed, "--tin-cay", pki["root"].cert_pem)
    assert r.exit_code == 0, r.output
    assert r.stdout.count("nguyên vẹn; chứng thư được tin cậy") == 2


def test_several_pdfs_one_fails_the_others_signed(kit, pki, tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(kit.make_pdf((kit.FIELD_1, kit.FIELD_2)))
    b.write_bytes(kit.make_pdf(("o-1", "o-2")))  # nobody's name: the signer's field cannot be told
    r = _run("sign", a, b, "--p12", pki["issued"].p12, env={"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()})
    assert r.exit_code == 1
    assert (tmp_path / "a-da-ky.pdf").is_file() and not (tmp_path / "b-da-ky.pdf").exists()
    assert "[o-ky-chua-chon]" in r.stderr and '"o-1"' in r.stderr and kit.SIGNER in r.stderr


def test_two_steps_on_the_command_line(kit, pki, pdf_two: Path, tmp_path: Path) -> None:
    chain = tmp_path / "chuoi.pem"
    chain.write_bytes(pki["issued"].cert_pem.read_bytes() + pki["root"].cert_pem.read_bytes())
    prep = tmp_path / "chuan-bi.pdf"
    r = _run("sign", pdf_two, "--chuan-bi", "--chung-thu", chain, "-o", prep)
    assert r.exit_code == 0, r.output
    tbs = Path(f"{prep}.tbs")
    assert f"SHA-256 cần ký: {hashlib.sha256(tbs.read_bytes()).hexdigest()}" in r.stdout
    assert f"ô ký {kit.FIELD_1}" in r.stdout
    sig = tmp_path / "chu-ky.bin"  # the service: openssl in its own process, RSA PKCS#1 v1.5 over SHA-256
    subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(pki["issued"].key_pem), "-out", str(sig), str(tbs)],
                   check=True)  # fmt: skip
    signed = tmp_path / "da-ky.pdf"
    r = _run("sign", prep, "--hoan-tat", sig, "-o", signed)
    assert r.exit_code == 0, r.output
    r = _run("verify", signed, "--tin-cay", pki["root"].cert_pem)
    assert r.exit_code == 0, r.output
    assert f"[{kit.FIELD_1}] {kit.SIGNER}" in r.stdout and "chứng thư được tin cậy" in r.stdout

    bad = tmp_path / "sai.bin"
    bad.write_bytes(sig.read_bytes()[:-1] + bytes([sig.read_bytes()[-1] ^ 1]))
    r = _run("sign", prep, "--hoan-tat", bad, "-o", tmp_path / "khong.pdf")
    assert r.exit_code == 1 and "[chu-ky-khong-khop]" in r.stderr
    assert not (tmp_path / "khong.pdf").exists()


def test_two_steps_usage_errors_exit_2(kit, pki, pdf_one: Path) -> None:
    r = _run("sign", pdf_one, "--chuan-bi")
    assert r.exit_code == 2 and "--chung-thu" in r.stderr


def test_verify_exit_codes_trusted_untrusted_changed(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    env = {"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()}
    trusted, stranger = tmp_path / "tin.pdf", tmp_path / "la.pdf"
    assert _run("sign", pdf_one, "--p12", pki["issued"].p12, "-o", trusted, env=env).exit_code == 0
    assert _run("sign", pdf_one, "--p12", pki["untrusted"].p12, "-o", stranger, env=env).exit_code == 0
    root = pki["root"].cert_pem
    assert _run("verify", trusted, "--tin-cay", root).exit_code == 0

    r = _run("verify", stranger, "--tin-cay", root)
    assert r.exit_code == 1
    assert "nguyên vẹn; CHƯA ĐƯỢC TIN CẬY: chứng thư số của Nguyễn Văn Yên (cấp bởi" in r.stdout
    assert "Root CA không tin cậy" in r.stdout and "không dẫn tới chứng thư gốc nào được tin cậy" in r.stdout

    data = bytearray(trusted.read_bytes())
    data[data.index(kit.BODY_TEXT) + 4] ^= 0x20
    changed = tmp_path / "bi-sua.pdf"
    changed.write_bytes(bytes(data))
    r = _run("verify", changed, "--tin-cay", root)
    assert r.exit_code == 1 and "ĐÃ BỊ SỬA ĐỔI (nội dung đã ký không còn khớp" in r.stdout

    # the trust list through the configuration folder: no --tin-cay needed
    r = _run("verify", trusted, env={"QUYCHE_TRUST": str(root)})
    assert r.exit_code == 0, r.output


def test_several_pdfs_named_alike_refused_before_signing(kit, pki, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "x.pdf").write_bytes(kit.make_pdf((kit.FIELD_1,)))
    out = tmp_path / "ra"
    r = _run("sign", tmp_path / "a" / "x.pdf", tmp_path / "b" / "x.pdf", "--p12", pki["issued"].p12, "-o", out,
             env={"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()})  # fmt: skip
    assert r.exit_code == 1 and "[trung-ten-tep]" in r.stderr
    assert not out.exists()


def test_verify_says_which_page_changed(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = tmp_path / "da-ky.pdf"
    r = _run(
        "sign", pdf_one, "--p12", pki["issued"].p12, "-o", signed, env={"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()}
    )
    assert r.exit_code == 0, r.output
    # an incremental update after signing that redraws page 1: the signed bytes stay intact
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 13 Tf 100 600 Td (Khac) Tj ET"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    changed = tmp_path / "doi-trang.pdf"
    changed.write_bytes(out.getvalue())
    r = _run("verify", changed, "--tin-cay", pki["root"].cert_pem)
    assert r.exit_code == 1
    assert "ĐÃ BỊ SỬA ĐỔI (tệp có thay đổi sau khi ký ngoài việc ký thêm: nội dung trang 1 đã bị thay)" in r.stdout

"""Signing through a real PKCS#11 token: a SoftHSM2 token made in a temporary folder, a key and certificate
imported with pkcs11-tool, then ``quyche sign --pkcs11-lib … --token … --key-label … --pin …`` run as its own
process (python-pkcs11 initialises a library once per process), and the result verified.

Skipped only when SoftHSM2 / pkcs11-tool are missing and the run may skip; ``make test`` as root sets
QUYCHE_REQUIRE_SOFTHSM=1 (scripts/install-system.sh installs them), and then a missing token fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from quyche.sign import verify_pdf

REQUIRED = os.environ.get("QUYCHE_REQUIRE_SOFTHSM") == "1"
SOFTHSM_LIB = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, SO_PIN, KEY_LABEL = "quyche-thu", "123456", "12345678", "chu-ky-yen"


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, pki) -> dict[str, str]:
    missing = [n for n in ("softhsm2-util", "pkcs11-tool") if shutil.which(n) is None]
    missing += [] if SOFTHSM_LIB.is_file() else [str(SOFTHSM_LIB)]
    if missing:
        message = f"cần softhsm2 và opensc (scripts/install-system.sh): thiếu {', '.join(missing)}"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    cred = pki["issued"]
    key_der, cert_der = folder / "khoa.der", folder / "chung-thu.der"
    key_der.write_bytes(
        cred.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_der.write_bytes(cred.cert.public_bytes(serialization.Encoding.DER))

    def run(*args: str) -> None:
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    tool = ("pkcs11-tool", "--module", str(SOFTHSM_LIB), "--token-label", TOKEN, "--login", "--pin", PIN)
    run(*tool, "--write-object", str(key_der), "--type", "privkey", "--label", KEY_LABEL, "--id", "01")
    run(*tool, "--write-object", str(cert_der), "--type", "cert", "--label", KEY_LABEL, "--id", "01")
    key_der.unlink()  # the key lives on the token only
    return {"SOFTHSM2_CONF": str(conf)}


def _quyche(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "quyche", *map(str, args)], env=full, capture_output=True, text=True, timeout=120
    )


def test_sign_with_the_token_and_verify(kit, pki, token, pdf_two: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    r = _quyche("sign", pdf_two, "--pkcs11-lib", SOFTHSM_LIB, "--token", TOKEN, "--key-label", KEY_LABEL,
                "--pin", PIN, "-o", out, env=token)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"ô ký {kit.FIELD_1};" in r.stdout and kit.SIGNER in r.stdout  # the field found by the token's name
    [status] = verify_pdf(out, trust_roots=[pki["root"].cert_pem], configured_trust=False)
    assert status.intact and status.valid and status.trusted and status.signer == kit.SIGNER
    r = _quyche("verify", out, "--tin-cay", pki["root"].cert_pem, env=token)
    assert r.returncode == 0 and "chứng thư được tin cậy" in r.stdout, r.stdout + r.stderr


def test_wrong_pin_refused_nothing_written(token, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    r = _quyche("sign", pdf_one, "--pkcs11-lib", SOFTHSM_LIB, "--token", TOKEN, "--key-label", KEY_LABEL,
                "--pin", "000000", "-o", out, env=token)  # fmt: skip
    assert r.returncode == 1 and "[pkcs11-sai-pin]" in r.stderr, r.stderr
    assert not out.exists()


def test_driver_found_by_name(kit, token, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    # no --pkcs11-lib: the drivers' list (overridden: a missing one, then SoftHSM2's by file name) is searched
    env = {**token, "QUYCHE_PKCS11_LIBS": f"/khong/co/libvnpt-ca_p11.so{os.pathsep}libsofthsm2.so"}
    r = _quyche("sign", pdf_one, "--token", TOKEN, "--key-label", KEY_LABEL, "--pin", PIN, "-o", out, env=env)
    assert r.returncode == 0, r.stderr
    assert out.is_file()


def test_no_driver_installed_says_so(token, pdf_one: Path, tmp_path: Path) -> None:
    env = {**token, "QUYCHE_PKCS11_LIBS": "/khong/co/libvnpt-ca_p11.so"}
    r = _quyche("sign", pdf_one, "--key-label", KEY_LABEL, "--pin", PIN, "-o", tmp_path / "o.pdf", env=env)
    assert r.returncode == 1
    assert "[pkcs11-khong-co-thu-vien]" in r.stderr and "libvnpt-ca_p11.so" in r.stderr and "--pkcs11-lib" in r.stderr
    assert not (tmp_path / "o.pdf").exists()

"""Two-step signing for remote services: the prepared PDF and its .tbs, signed by openssl in a separate
process (as a CA's service would sign the hash), then embedded; wrong signatures refused."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509

from quyche.sign import SignError, verify_pdf
from quyche.sign.remote import finish_remote, load_chain, prepare_remote, sign_remote, state_path, tbs_path


class OpensslService:
    """A remote signing service adapter: openssl signs the SHA-256 it is sent (pkeyutl, PKCS#1 v1.5 / ECDSA)."""

    def __init__(self, key_pem: Path) -> None:
        self.key_pem = key_pem
        self.seen: list[bytes] = []

    def sign_digest(self, digest: bytes, cert: asn1_x509.Certificate) -> bytes:
        self.seen.append(digest)
        done = subprocess.run(
            ["openssl", "pkeyutl", "-sign", "-inkey", str(self.key_pem), "-pkeyopt", "digest:sha256"],
            input=digest, capture_output=True, check=True,
        )  # fmt: skip
        return done.stdout


def _chain(pki, which: str) -> list:
    return load_chain(pki[which].cert_pem) + load_chain(pki["root"].cert_pem)


def _openssl_sign(key_pem: Path, tbs: Path, out: Path) -> Path:
    subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key_pem), "-out", str(out), str(tbs)], check=True)
    return out


@pytest.mark.parametrize("which", ["issued", "issued_ec"])
def test_two_steps_with_openssl(kit, pki, images, pdf_two: Path, tmp_path: Path, which: str) -> None:
    prep, signed = tmp_path / "chuan-bi.pdf", tmp_path / "da-ky.pdf"
    tbs, prepared = prepare_remote(pdf_two, prep, _chain(pki, which), image=images["signer"])
    assert prepared.target.name == kit.FIELD_1  # chosen by the certificate's name
    assert tbs_path(prep).read_bytes() == tbs and prep.is_file()
    state = json.loads(state_path(prep).read_text())
    assert state["o_ky"] == kit.FIELD_1
    assert state["sha256_tep_chuan_bi"] == hashlib.sha256(prep.read_bytes()).hexdigest()
    sig = _openssl_sign(pki[which].key_pem, tbs_path(prep), tmp_path / "sig.bin")  # another process, later
    result = finish_remote(prep, sig.read_bytes(), signed)
    assert result.field == kit.FIELD_1 and result.signer == kit.SIGNER
    [status] = verify_pdf(signed, trust_roots=[pki["root"].cert_pem], configured_trust=False)
    assert status.intact and status.valid and status.trusted


def test_wrong_signature_refused_nothing_written(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    prep, signed = tmp_path / "chuan-bi.pdf", tmp_path / "da-ky.pdf"
    prepare_remote(pdf_one, prep, _chain(pki, "issued"))
    other = tmp_path / "khac.tbs"
    other.write_bytes(tbs_path(prep).read_bytes()[:-1] + b"\x00")
    for sig in (
        _openssl_sign(pki["issued"].key_pem, other, tmp_path / "sai-du-lieu.bin"),  # other bytes signed
        _openssl_sign(pki["valid"].key_pem, tbs_path(prep), tmp_path / "sai-khoa.bin"),  # another key
    ):
        with pytest.raises(SignError) as exc:
            finish_remote(prep, sig.read_bytes(), signed)
        assert exc.value.code == "chu-ky-khong-khop"
        assert not signed.exists()


def test_prepared_file_changed_refused(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    prep = tmp_path / "chuan-bi.pdf"
    prepare_remote(pdf_one, prep, _chain(pki, "issued"))
    sig = _openssl_sign(pki["issued"].key_pem, tbs_path(prep), tmp_path / "sig.bin")
    prep.write_bytes(prep.read_bytes() + b"\n% sua\n")
    with pytest.raises(SignError) as exc:
        finish_remote(prep, sig.read_bytes(), tmp_path / "o.pdf")
    assert exc.value.code == "ky-hai-buoc-tep-doi" and not (tmp_path / "o.pdf").exists()
    state_path(prep).unlink()
    with pytest.raises(SignError) as exc:
        finish_remote(prep, sig.read_bytes(), tmp_path / "o.pdf")
    assert exc.value.code == "ky-hai-buoc-thieu-trang-thai"


def test_prepare_refuses_certificate_that_may_not_sign(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    prep = tmp_path / "chuan-bi.pdf"
    with pytest.raises(SignError) as exc:
        prepare_remote(pdf_one, prep, load_chain(pki["encrypt_only"].cert_pem))
    assert exc.value.code == "chung-thu-khong-de-ky"
    assert list(tmp_path.iterdir()) == [pdf_one]


def test_service_adapter_through_the_protocol(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    service = OpensslService(pki["issued"].key_pem)
    out = tmp_path / "da-ky.pdf"
    result = sign_remote(pdf_one, out, service, _chain(pki, "issued"))
    assert len(service.seen) == 1 and len(service.seen[0]) == 32  # the service saw a SHA-256, nothing else
    assert result.output == out and sorted(p.name for p in tmp_path.iterdir()) == sorted([pdf_one.name, out.name])
    [status] = verify_pdf(out, trust_roots=[pki["root"].cert_pem], configured_trust=False)
    assert status.valid and status.trusted


def test_state_file_tampered_refused(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    import base64

    prep = tmp_path / "chuan-bi.pdf"
    prepare_remote(pdf_one, prep, _chain(pki, "issued"))
    sig = _openssl_sign(pki["issued"].key_pem, tbs_path(prep), tmp_path / "sig.bin").read_bytes()
    original = state_path(prep).read_text()
    state = json.loads(original)
    # another certificate put in the state, with a signature by its key over the same .tbs
    state["chung_thu"][0] = base64.b64encode(load_chain(pki["valid"].cert_pem)[0].dump()).decode()
    state_path(prep).write_text(json.dumps(state))
    forged = _openssl_sign(pki["valid"].key_pem, tbs_path(prep), tmp_path / "gia.bin").read_bytes()
    with pytest.raises(SignError) as exc:
        finish_remote(prep, forged, tmp_path / "o.pdf")
    assert exc.value.code == "ky-hai-buoc-thieu-trang-thai" and "chứng thư" in exc.value.message
    state = json.loads(original)
    state["reserved_region_start"] += 7  # the region moved
    state_path(prep).write_text(json.dumps(state))
    with pytest.raises(SignError) as exc:
        finish_remote(prep, sig, tmp_path / "o.pdf")
    assert exc.value.code == "ky-hai-buoc-thieu-trang-thai" and not (tmp_path / "o.pdf").exists()
    state_path(prep).write_text(original)
    assert finish_remote(prep, sig, tmp_path / "o.pdf").field == kit.FIELD_1


def test_hostile_remote_inputs(kit, pki, pdf_one: Path, tmp_path: Path, monkeypatch) -> None:
    prep = tmp_path / "chuan-bi.pdf"
    prepare_remote(pdf_one, prep, _chain(pki, "issued"))
    original = state_path(prep).read_bytes()
    for garbage in (b"{", b"[]", b'{"phien_ban": 1}', b'{"phien_ban": 99}', b"\xff\xfe" * 10):
        state_path(prep).write_bytes(garbage)
        with pytest.raises(SignError) as exc:
            finish_remote(prep, b"x" * 256, tmp_path / "o.pdf")
        assert exc.value.code == "ky-hai-buoc-thieu-trang-thai", garbage
    state_path(prep).write_bytes(original)
    monkeypatch.setenv("QUYCHE_MAX_SIGNATURE_BYTES", "1024")
    with pytest.raises(SignError) as exc:  # a "signature" far larger than any RSA/ECDSA value
        finish_remote(prep, b"\x01" * 4096, tmp_path / "o.pdf")
    assert exc.value.code == "vuot-gioi-han"
    not_cert = tmp_path / "khong-phai.pem"
    not_cert.write_text("-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n")
    with pytest.raises(SignError) as exc:
        load_chain(not_cert)
    assert exc.value.code == "chung-thu-khong-hop-le"
    assert not (tmp_path / "o.pdf").exists()


def test_finish_with_a_timestamp_is_b_t(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign.timestamps import DummyTimeStamper

    prep, signed = tmp_path / "chuan-bi.pdf", tmp_path / "da-ky.pdf"
    prepare_remote(pdf_one, prep, _chain(pki, "issued"))
    sig = _openssl_sign(pki["issued"].key_pem, tbs_path(prep), tmp_path / "sig.bin")
    tsa = DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(pki["tsa"].cert),
        tsa_key=translate_pyca_cryptography_key_to_asn1(pki["tsa"].key),
    )
    result = finish_remote(prep, sig.read_bytes(), signed, timestamper=tsa)
    assert result.timestamped
    [status] = verify_pdf(signed, trust_roots=[pki["root"].cert_pem], configured_trust=False)
    assert status.intact and status.trusted and status.timestamp_time is not None

"""Certificates checked before signing (validity, key usage, extended key usage) and the field chosen by the
certificate's name: real certificates made by the test CA, real PDFs, nothing written on refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from quyche.sign import SignError, sign_pdf, verify_pdf


def _sign(kit, cred, src: Path, dst: Path, **kw):
    return sign_pdf(src, dst, cred.p12, kit.PASSWORD, **kw)


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("encrypt_only", "keyEncipherment"),  # an encryption certificate: key usage without signing
        ("ca_only", "keyCertSign"),  # a CA's certificate
        ("server", "serverAuth"),  # a TLS server certificate: EKU serverAuth only
        ("tsa", "timeStamping"),  # a timestamp authority's certificate
    ],
)
def test_certificate_that_may_not_sign_is_refused(kit, pki, pdf_one: Path, tmp_path: Path, which, reason) -> None:
    out = tmp_path / "o.pdf"
    with pytest.raises(SignError) as exc:
        _sign(kit, pki[which], pdf_one, out)
    assert exc.value.code == "chung-thu-khong-de-ky"
    assert reason in exc.value.message and "không" in exc.value.message
    assert not out.exists() and list(tmp_path.iterdir()) == [pdf_one]


def test_expired_certificate_refused_with_its_date(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    with pytest.raises(SignError) as exc:
        _sign(kit, pki["expired"], pdf_one, tmp_path / "o.pdf")
    assert exc.value.code == "chung-thu-het-han" and "05/03/2024 17:00:00 +07:00" in exc.value.message
    assert not (tmp_path / "o.pdf").exists()


def test_ca_issued_signing_certificate_with_usual_eku_signs(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    result = _sign(kit, pki["issued"], pdf_one, out)  # EKU clientAuth + emailProtection, as VNPT-CA issues
    assert result.field == kit.FIELD_1
    [status] = verify_pdf(out, trust_roots=[pki["root"].cert_pem], configured_trust=False)
    assert status.intact and status.trusted and status.trust_problem is None


def test_upper_case_decomposed_name_finds_the_field(kit, pki, tmp_path: Path) -> None:
    # "NGUYỄN VĂN YÊN" in NFD (as some CAs encode it) is the signer "Nguyễn Văn Yên": NFC + case-folded
    src = tmp_path / "hai-o.pdf"
    src.write_bytes(kit.make_pdf(("o-1", "o-2"), labels=("Chữ ký số: Trần Thị Bình", "Chữ ký số: Nguyễn Văn Yên")))
    result = _sign(kit, pki["upper"], src, tmp_path / "o.pdf")
    assert result.field == "o-2"


def test_stranger_gets_the_listing(kit, pki, tmp_path: Path) -> None:
    src = tmp_path / "hai-o.pdf"
    src.write_bytes(kit.make_pdf(("o-1", "o-2"), labels=("Chữ ký số: Trần Thị Bình", "Chữ ký số: Nguyễn Văn Yên")))
    with pytest.raises(SignError) as exc:
        _sign(kit, pki["stranger"], src, tmp_path / "o.pdf")
    assert exc.value.code == "o-ky-chua-chon"
    assert '"o-1"' in exc.value.message and '"o-2"' in exc.value.message and "Phạm Văn Lạ" in exc.value.message


def test_signer_who_already_signed_is_told_so(kit, pki, pdf_two: Path, tmp_path: Path) -> None:
    once = tmp_path / "mot.pdf"
    assert _sign(kit, pki["valid"], pdf_two, once).field == kit.FIELD_1
    with pytest.raises(SignError) as exc:
        _sign(kit, pki["valid"], once, tmp_path / "hai.pdf")
    assert exc.value.code == "o-ky-da-ky" and kit.SIGNER in exc.value.message


def test_trust_cases(kit, pki, pdf_one: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cau-hinh"))
    monkeypatch.delenv("QUYCHE_TRUST", raising=False)
    trusted, stranger = tmp_path / "tin.pdf", tmp_path / "la.pdf"
    _sign(kit, pki["issued"], pdf_one, trusted)
    _sign(kit, pki["untrusted"], pdf_one, stranger)
    root = pki["root"].cert_pem

    [s] = verify_pdf(trusted)  # no root configured at all
    assert s.intact and not s.trusted and "chưa có chứng thư gốc" in (s.trust_problem or "")
    [s] = verify_pdf(stranger, trust_roots=[root])  # a root, but another CA issued it
    assert s.intact and not s.trusted
    assert "không dẫn tới chứng thư gốc" in (s.trust_problem or "") and "Root CA không tin cậy" in s.trust_problem

    # the configured trust list: the folder ~/.config/quyche/tin-cay/, then QUYCHE_TRUST
    folder = tmp_path / "cau-hinh" / "quyche" / "tin-cay"
    folder.mkdir(parents=True)
    (folder / "root.crt").write_bytes(root.read_bytes())
    [s] = verify_pdf(trusted)
    assert s.trusted and s.trust_problem is None
    assert not verify_pdf(trusted, configured_trust=False)[0].trusted
    (folder / "root.crt").unlink()
    monkeypatch.setenv("QUYCHE_TRUST", str(root))
    assert verify_pdf(trusted)[0].trusted


def test_trust_folder_bounded(kit, pki, pdf_one: Path, tmp_path: Path, monkeypatch) -> None:
    signed = tmp_path / "da-ky.pdf"
    _sign(kit, pki["issued"], pdf_one, signed)
    folder = tmp_path / "tin-cay"
    folder.mkdir()
    for n in range(3):
        (folder / f"goc-{n}.pem").write_bytes(pki["root"].cert_pem.read_bytes())
    monkeypatch.setenv("QUYCHE_MAX_TRUST_FILES", "2")
    with pytest.raises(SignError) as exc:
        verify_pdf(signed, trust_roots=[folder])
    assert exc.value.code == "vuot-gioi-han" and "QUYCHE_MAX_TRUST_FILES" in exc.value.message
    monkeypatch.setenv("QUYCHE_MAX_TRUST_FILES", "3")
    assert verify_pdf(signed, trust_roots=[folder])[0].trusted

"""Keys: a PKCS#12 file or a PKCS#11 token (the certificate checks are in certs.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from pyhanko.sign import signers

from .. import budget
from .inputs import _read_file
from .model import SignError


def kdf_iterations(data: bytes) -> int:
    """The largest key-derivation iteration count a PKCS#12 file asks for (MAC, encrypted data, shrouded
    keys), read from its ASN.1 before any password is tried (RFC 7292, appendix C; PBES2, RFC 8018)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import pkcs12 as asn1_pkcs12

    pfx = asn1_pkcs12.Pfx.load(data)
    counts = [0]
    mac = pfx["mac_data"]
    if mac.native is not None:
        counts.append(int(mac["iterations"].native or 1))
    for info in pfx.authenticated_safe:
        kind = info["content_type"].native
        if kind == "encrypted_data":
            algo = info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
            counts.append(int(algo.kdf_iterations))
        elif kind == "data":
            for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
                if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                    value = bag["bag_value"]
                    if not isinstance(value, asn1_keys.EncryptedPrivateKeyInfo):
                        value = asn1_keys.EncryptedPrivateKeyInfo.load(value.dump())
                    counts.append(int(value["encryption_algorithm"].kdf_iterations))
    return max(counts)


def _load_p12(p12: Path, password: bytes | None) -> signers.SimpleSigner:
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    data = _read_file(p12, "tệp chứng thư số", "p12_bytes")
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 — parses the whole structure: is it PKCS#12 at all?
        iterations = kdf_iterations(data)
    except (ValueError, TypeError, OverflowError, KeyError, AttributeError):
        raise SignError(
            "p12-khong-hop-le",
            f"{p12} không phải tệp chứng thư số PKCS#12 (.p12/.pfx).",
            "xuất chứng thư số kèm khóa bí mật ra tệp .p12 hoặc .pfx; với USB token hãy dùng PKCS#11.",
        ) from None
    cap = budget.limit("kdf_iterations")
    if iterations > cap:  # inspected before any decryption: 10**9 PBKDF2 rounds would run for hours
        raise SignError(
            "vuot-gioi-han",
            f"Tệp {p12.name} đòi {iterations} vòng dẫn xuất khóa, quá giới hạn {budget.human(cap, 'vòng')} "
            "(QUYCHE_MAX_KDF_ITERATIONS).",
            "xuất lại chứng thư số từ công cụ của nhà cung cấp (OpenSSL, Windows dùng 2 048–600 000 vòng).",
        )
    # an empty password and no password are different things to PKCS#12 tools: try both when none is given
    attempts = [password] + ([b"" if password is None else None] if not password else [])
    loaded = None
    for attempt in attempts:
        try:
            loaded = pkcs12.load_key_and_certificates(data, attempt)
            break
        except (ValueError, TypeError):
            continue
    if loaded is None:
        raise SignError(
            "p12-sai-mat-khau",
            f"Mật khẩu của tệp chứng thư số {p12.name} không đúng"
            + ("" if password else " (chưa nhập mật khẩu)")
            + ".",
            "nhập lại mật khẩu (--mat-khau, biến môi trường QUYCHE_P12_PASSWORD, hoặc gõ khi được hỏi).",
        )
    key, cert, others = loaded
    if key is None or cert is None:
        raise SignError(
            "p12-khong-hop-le",
            f"Tệp {p12.name} không chứa {'khóa bí mật' if key is None else 'chứng thư số'} để ký.",
            "xuất lại chứng thư số kèm khóa bí mật.",
        )
    store = SimpleCertificateStore()
    store.register_multiple(translate_pyca_cryptography_cert_to_asn1(c) for c in others)
    return signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=store,
    )


@contextlib.contextmanager
def _pkcs11_signer(
    lib: str, token_label: str | None, key_label: str | None, cert_label: str | None, pin: str | None
) -> Iterator[signers.Signer]:
    """The signer of a PKCS#11 token (USB token, smart card), its session open while the caller signs."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError:
        raise SignError(
            "pkcs11-chua-cai",
            "Chưa cài thư viện để ký bằng USB token (python-pkcs11).",
            "cài bằng lệnh: pip install 'pyhanko[pkcs11]'.",
        ) from None
    try:
        session = pkcs11.open_pkcs11_session(
            lib, token_criteria=TokenCriteria(label=token_label) if token_label else None, user_pin=pin
        )
    except Exception as exc:  # python-pkcs11 raises its own hierarchy; the class name tells what happened
        kind = type(exc).__name__
        if "Pin" in kind:
            raise SignError("pkcs11-sai-pin", "Mã PIN của USB token không đúng hoặc token đã bị khóa.") from None
        raise SignError(
            "pkcs11-loi",
            f"Không mở được USB token qua {lib}: {kind}: {exc}.",
            "kiểm tra token đã cắm, đường dẫn thư viện PKCS#11 của nhà cung cấp và nhãn token (--token).",
        ) from None
    try:
        signer = pkcs11.PKCS11Signer(session, key_label=key_label, cert_label=cert_label)
        try:
            signer.signing_cert  # noqa: B018 — loads the key and certificate from the token now
        except Exception as exc:
            raise SignError(
                "pkcs11-loi",
                f"Không tìm thấy khóa hoặc chứng thư số trên token: {type(exc).__name__}: {exc}.",
                "ghi nhãn khóa bằng --key-label (liệt kê bằng: pkcs11-tool --module THƯ_VIỆN -O).",
            ) from None
        yield signer
    finally:
        session.close()

"""The signing certificate, checked before anything is written: validity period, key usage, extended key usage.

A signature made with a certificate that may not sign is invalid from the start (RFC 5280, 4.2.1.3 and
4.2.1.12; ETSI EN 319 412-2, 4.3.2: a natural person's signing certificate carries digitalSignature and/or
nonRepudiation). Refused here with the reason, so the signer learns it before sending the document out.
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import x509 as asn1_x509

from .model import SignError, format_vn_time

# Key usage bits that allow a document signature (RFC 5280, 4.2.1.3; nonRepudiation = contentCommitment).
SIGNING_KEY_USAGES = frozenset({"digital_signature", "non_repudiation"})
# Extended key usages under which a document signature is acceptable when the extension is present
# (RFC 5280, 4.2.1.12: when present, the key is used only for the listed purposes). Vietnamese CAs' personal
# and organisation certificates carry clientAuth + emailProtection; documentSigning is RFC 9336.
SIGNING_EXTENDED_KEY_USAGES = {
    "2.5.29.37.0": "anyExtendedKeyUsage",
    "1.3.6.1.5.5.7.3.2": "clientAuth",
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.36": "documentSigning",
    "1.2.840.113583.1.1.5": "Adobe Authentic Documents Trust",
    "1.3.6.1.4.1.311.10.3.12": "Microsoft Document Signing",
}
_EKU_NAMES = {
    "1.3.6.1.5.5.7.3.1": "xác thực máy chủ (serverAuth)",
    "1.3.6.1.5.5.7.3.3": "ký mã chương trình (codeSigning)",
    "1.3.6.1.5.5.7.3.8": "cấp dấu thời gian (timeStamping)",
    "1.3.6.1.5.5.7.3.9": "ký phản hồi OCSP (OCSPSigning)",
}
_KU_NAMES = {
    "digital_signature": "digitalSignature",
    "non_repudiation": "nonRepudiation",
    "key_encipherment": "keyEncipherment (mã hóa khóa)",
    "data_encipherment": "dataEncipherment (mã hóa dữ liệu)",
    "key_agreement": "keyAgreement (thỏa thuận khóa)",
    "key_cert_sign": "keyCertSign (cấp chứng thư: chứng thư của CA)",
    "crl_sign": "cRLSign (ký danh sách thu hồi)",
    "encipher_only": "encipherOnly",
    "decipher_only": "decipherOnly",
}
_HINT = "dùng chứng thư số ký văn bản (chữ ký số cá nhân hoặc của tổ chức) do tổ chức cung cấp dịch vụ chứng thực cấp."


def common_name(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    name = subject.get("common_name")
    if isinstance(name, list):
        name = name[0] if name else None
    return str(name) if name else cert.subject.human_friendly


def check_certificate(cert: asn1_x509.Certificate, now: datetime) -> None:
    """Raise SignError when ``cert`` may not sign a document at ``now``; return quietly otherwise."""
    _check_validity(cert, now)
    _check_key_usage(cert)


def _check_validity(cert: asn1_x509.Certificate, now: datetime) -> None:
    """Refuse a certificate outside its validity period: the signature would be invalid from the start."""
    not_before, not_after = cert.not_valid_before, cert.not_valid_after
    if now > not_after:
        raise SignError(
            "chung-thu-het-han",
            f"Chứng thư số của {common_name(cert)} đã hết hạn từ {format_vn_time(not_after)}; "
            "không ký bằng chứng thư hết hạn.",
            "gia hạn chứng thư số với tổ chức cung cấp dịch vụ chứng thực chữ ký số.",
        )
    if now < not_before:
        raise SignError(
            "chung-thu-chua-hieu-luc",
            f"Chứng thư số của {common_name(cert)} chỉ có hiệu lực từ {format_vn_time(not_before)}.",
            "kiểm tra đồng hồ của máy tính, hoặc ký sau thời điểm đó.",
        )


def _check_key_usage(cert: asn1_x509.Certificate) -> None:
    usages = cert.key_usage_value
    if usages is not None:  # absent: no restriction (RFC 5280, 4.2.1.3)
        granted = set(usages.native)
        if not granted & SIGNING_KEY_USAGES:
            listed = ", ".join(_KU_NAMES.get(u, u) for u in sorted(granted)) or "(trống)"
            raise SignError(
                "chung-thu-khong-de-ky",
                f"Chứng thư số của {common_name(cert)} không được dùng để ký: mục đích khóa (key usage) chỉ gồm "
                f"{listed}, thiếu digitalSignature hoặc nonRepudiation.",
                _HINT,
            )
    extended = cert.extended_key_usage_value
    if extended is not None:
        oids = [purpose.dotted for purpose in extended]
        if not any(oid in SIGNING_EXTENDED_KEY_USAGES for oid in oids):
            listed = ", ".join(_EKU_NAMES.get(oid, oid) for oid in oids)
            raise SignError(
                "chung-thu-khong-de-ky",
                f"Chứng thư số của {common_name(cert)} chỉ dành cho {listed} (extended key usage), "
                "không dành cho ký văn bản.",
                _HINT,
            )

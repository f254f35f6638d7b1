"""Two-step signing for remote signing services (VNPT SmartCA, Viettel MySign, the NEAC hub …).

Such a service holds the signer's key and signs a hash it is sent. Step one (``prepare_remote``) writes the
prepared PDF — the appearance drawn, the signature's room reserved — and, beside it, ``PREP.pdf.tbs``: the
exact bytes to be signed, the DER of the CMS signed attributes (RFC 5652, 5.4; they carry the document's
digest and the signing certificate, ETSI EN 319 122-1), and ``PREP.pdf.quyche.json``: the state step two
needs. Step two (``finish_remote``) checks the returned signature against the certificate and the .tbs, then
embeds it with the certificate chain (pyHanko's interrupted signing: PdfSigner.async_digest_doc_for_signing,
ExternalSigner, PdfTBSDocument.finish_signing). Nothing is kept in memory between the steps.

A service adapter implements ``RemoteSigner`` and is used by ``sign_remote`` without touching the PDF code.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509

from .. import budget
from ..output import OutputError, atomic_write
from .inputs import _read_file
from .model import SignError, SignResult
from .signing import Prepared, _not_in_place, prepare_signing, write_signed

if TYPE_CHECKING:
    from pyhanko.sign.timestamps import TimeStamper

STATE_SUFFIX = ".quyche.json"
TBS_SUFFIX = ".tbs"
STATE_VERSION = 1
DIGEST = "sha256"
RESERVED_BYTES = 16 * 1024  # room for the CMS: signature, signed attributes; the chain is added on top


class RemoteSigner(Protocol):
    """A signing service: signs ``digest`` (SHA-256 of the .tbs) with the key of ``cert``.

    Returns the raw signature value: RSA PKCS#1 v1.5 (RFC 8017, 8.2) or ECDSA (DER ``Ecdsa-Sig-Value``,
    or the raw r‖s form some services return)."""

    def sign_digest(self, digest: bytes, cert: asn1_x509.Certificate) -> bytes: ...


def state_path(prepared_pdf: Path) -> Path:
    return prepared_pdf.with_name(prepared_pdf.name + STATE_SUFFIX)


def tbs_path(prepared_pdf: Path) -> Path:
    return prepared_pdf.with_name(prepared_pdf.name + TBS_SUFFIX)


def load_chain(path: Path) -> list[asn1_x509.Certificate]:
    """The signer's certificate first, then the rest of the chain (one PEM file may hold several)."""
    from pyhanko.keys import load_certs_from_pemder

    _read_file(Path(path), "chứng thư số", "p12_bytes")
    try:
        certs = list(load_certs_from_pemder([str(path)]))
    except Exception as exc:
        certs, reason = [], str(exc)
    else:
        reason = "không có chứng thư nào"
    if not certs:
        raise SignError(
            "chung-thu-khong-hop-le",
            f"Không đọc được chứng thư số {path}: {reason}.",
            "dùng tệp chứng thư .cer/.crt/.pem (PEM hoặc DER) do dịch vụ ký từ xa cung cấp.",
        )
    return certs


def _external_signer(chain: Sequence[asn1_x509.Certificate], value: bytes | None):  # -> ExternalSigner
    from pyhanko.sign.signers import ExternalSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    store = SimpleCertificateStore()
    store.register_multiple(chain[1:])
    return ExternalSigner(signing_cert=chain[0], cert_registry=store, signature_value=value)


def prepare_remote(
    input_pdf: Path, output_pdf: Path, chain: Sequence[asn1_x509.Certificate], **options: object
) -> tuple[bytes, Prepared]:
    """Step one: write ``output_pdf`` (prepared), its .tbs and its state; return the .tbs bytes.
    ``options`` are prepare_signing's (field, image, seal, seal_size_mm, reason, location)."""
    input_pdf, output_pdf = Path(input_pdf), Path(output_pdf)
    _not_in_place(input_pdf, output_pdf)
    signer = _external_signer(chain, None)
    prepared = prepare_signing(input_pdf, signer, **options)  # type: ignore[arg-type]
    reserved = RESERVED_BYTES + sum(len(c.dump()) for c in chain)

    async def run() -> tuple[object, bytes, bytes]:
        digest, _tbs, out = await prepared.pdf_signer.async_digest_doc_for_signing(
            prepared.writer, existing_fields_only=prepared.new_page is None, bytes_reserved=reserved,
            appearance_text_params={"signer": prepared.signer_name},
        )  # fmt: skip
        attrs = await signer.signed_attrs(digest.document_digest, DIGEST, use_pades=True)
        return digest, attrs.dump(), out.getvalue()

    digest, tbs, pdf = asyncio.run(run())
    state = {
        "phien_ban": STATE_VERSION,
        "tep_goc": str(input_pdf),
        "o_ky": prepared.target.name,
        "nguoi_ky": prepared.signer_name,
        "o_ky_moi": prepared.new_page is not None,
        "sha256_tep_chuan_bi": hashlib.sha256(pdf).hexdigest(),
        "document_digest": digest.document_digest.hex(),  # type: ignore[attr-defined]
        "reserved_region_start": digest.reserved_region_start,  # type: ignore[attr-defined]
        "reserved_region_end": digest.reserved_region_end,  # type: ignore[attr-defined]
        "signed_attrs": base64.b64encode(tbs).decode(),
        "chung_thu": [base64.b64encode(c.dump()).decode() for c in chain],
        "canh_bao": list(dict.fromkeys(prepared.warnings)),
    }
    try:
        atomic_write(tbs_path(output_pdf), tbs)
        atomic_write(state_path(output_pdf), json.dumps(state, ensure_ascii=False, indent=1).encode())
        atomic_write(output_pdf, pdf)
    except OutputError as exc:
        raise SignError("khong-ghi-duoc", f"Không ghi {output_pdf}: {exc}.") from None
    return tbs, prepared


def _read_state(prepared_pdf: Path) -> dict:
    path = state_path(prepared_pdf)
    if not path.is_file():
        raise SignError(
            "ky-hai-buoc-thieu-trang-thai",
            f"Không có tệp trạng thái {path.name} cạnh {prepared_pdf.name}: tệp này không do "
            "`quyche sign --chuan-bi` chuẩn bị, hoặc tệp trạng thái đã bị xóa.",
            "chạy lại bước chuẩn bị: quyche sign TỆP.pdf --chuan-bi --chung-thu CHUNG-THU.pem -o TỆP-chuan-bi.pdf.",
        )
    try:
        state = json.loads(_read_file(path, "tệp trạng thái", "p12_bytes"))
        if not isinstance(state, dict):
            raise ValueError("không phải một đối tượng JSON")
        if state.get("phien_ban") != STATE_VERSION:
            raise ValueError(f"phiên bản {state.get('phien_ban')!r}")
        state["_tbs"] = base64.b64decode(state["signed_attrs"], validate=True)
        state["_chain"] = [asn1_x509.Certificate.load(base64.b64decode(c)) for c in state["chung_thu"]]
        state["_digest"] = bytes.fromhex(state["document_digest"])
        int(state["reserved_region_start"]), int(state["reserved_region_end"])
        str(state["o_ky"]), str(state["nguoi_ky"]), state["sha256_tep_chuan_bi"].lower()
        if not state["_chain"]:
            raise ValueError("không có chứng thư")
        for cert in state["_chain"]:
            cert.native  # noqa: B018 — parses the whole certificate now, not halfway through signing
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise SignError("ky-hai-buoc-thieu-trang-thai", f"Tệp trạng thái {path.name} hỏng: {exc}.") from None
    return state


def _check_consistent(state: dict, pdf: bytes, prepared_pdf: Path) -> None:
    """The state file is input too: its reserved region must be the PDF's, the .tbs must carry the digest of
    the PDF's signed bytes (the message-digest attribute) and name the certificate it holds (ESS
    signing-certificate-v2, RFC 5035) — otherwise a correct signature would be embedded into a broken CMS."""
    start, end = int(state["reserved_region_start"]), int(state["reserved_region_end"])
    problem = None
    if not 0 < start < end <= len(pdf) or pdf[start : start + 1] != b"<" or pdf[end - 1 : end] != b">":
        problem = "vùng dành cho chữ ký không khớp tệp PDF"
    else:
        attrs = {a["type"].native: a["values"][0] for a in cms.CMSAttributes.load(state["_tbs"])}
        digest = hashlib.sha256(pdf[:start] + pdf[end:]).digest()
        if attrs.get("message_digest") is None or attrs["message_digest"].native != digest:
            problem = "dữ liệu cần ký (.tbs) không phải của tệp PDF này"
        else:
            ess = attrs.get("signing_certificate_v2")
            named = ess["certs"][0]["cert_hash"].native if ess is not None else None
            if named != hashlib.sha256(state["_chain"][0].dump()).digest():
                problem = "chứng thư trong tệp trạng thái không phải chứng thư đã chuẩn bị"
    if problem:
        raise SignError(
            "ky-hai-buoc-thieu-trang-thai",
            f"Tệp trạng thái {state_path(prepared_pdf).name} không khớp {prepared_pdf.name}: {problem}.",
            "chạy lại bước chuẩn bị (--chuan-bi) và gửi tệp .tbs mới cho dịch vụ ký.",
        )


def _decode_signature(raw: bytes) -> bytes:
    """Services return the value as bytes or as base64 text; both are accepted."""
    text = raw.strip()
    if text and all(c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n" for c in text):
        try:
            return base64.b64decode(b"".join(text.split()), validate=True)
        except binascii.Error:
            pass
    return raw


def check_signature(signature: bytes, tbs: bytes, cert: asn1_x509.Certificate) -> bytes:
    """The signature value, verified over ``tbs`` with the certificate's public key (SHA-256); ECDSA in raw
    r‖s form is converted to DER. Raises SignError when it does not verify."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    key = serialization.load_der_public_key(cert.public_key.dump())
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, tbs, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(signature) == 2 * size and signature[0] != 0x30:
                half = len(signature) // 2
                signature = encode_dss_signature(
                    int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
                )
            key.verify(signature, tbs, ec.ECDSA(hashes.SHA256()))
        else:
            raise SignError("chu-ky-khong-khop", f"Khóa {type(key).__name__} chưa được hỗ trợ (chỉ RSA, ECDSA).")
    except (InvalidSignature, ValueError):
        raise SignError(
            "chu-ky-khong-khop",
            f"Chữ ký nhận về ({len(signature)} byte) không khớp với chứng thư số của {_name(cert)} và dữ liệu cần "
            "ký (.tbs); không nhúng vào tệp.",
            "gửi đúng tệp .tbs (hoặc mã băm SHA-256 in ra ở bước chuẩn bị) cho dịch vụ ký, bằng đúng chứng thư "
            "đã dùng ở bước chuẩn bị; chữ ký phải là RSA PKCS#1 v1.5 hoặc ECDSA trên SHA-256.",
        ) from None
    return signature


def _name(cert: asn1_x509.Certificate) -> str:
    from .certs import common_name

    return common_name(cert)


def finish_remote(
    prepared_pdf: Path,
    signature: bytes,
    output_pdf: Path,
    *,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
) -> SignResult:
    """Step two: embed ``signature`` (over SHA-256 of the .tbs) into the prepared PDF, written to ``output_pdf``.
    With ``timestamp_url`` (RFC 3161) or ``timestamper`` the signature value is timestamped now: PAdES B-T."""
    from datetime import datetime, timezone

    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

    from .certs import check_certificate

    prepared_pdf, output_pdf = Path(prepared_pdf), Path(output_pdf)
    _not_in_place(prepared_pdf, output_pdf)
    state = _read_state(prepared_pdf)
    pdf = _read_file(prepared_pdf, "tệp PDF đã chuẩn bị", "pdf_bytes")
    if hashlib.sha256(pdf).hexdigest() != state["sha256_tep_chuan_bi"]:
        raise SignError(
            "ky-hai-buoc-tep-doi",
            f"Tệp {prepared_pdf.name} đã thay đổi sau bước chuẩn bị; chữ ký nhận về không còn áp dụng cho nó.",
            "chạy lại bước chuẩn bị (--chuan-bi) và gửi tệp .tbs mới cho dịch vụ ký.",
        )
    _check_consistent(state, pdf, prepared_pdf)
    chain = state["_chain"]
    now = datetime.now(timezone.utc)
    check_certificate(chain[0], now)  # it may have expired while the service was asked
    if len(signature) > budget.limit("sig_contents"):
        raise SignError("vuot-gioi-han", f"Chữ ký nhận về dài {len(signature)} byte, quá lớn.")
    value = check_signature(_decode_signature(signature), state["_tbs"], chain[0])

    if timestamper is None and timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url, timeout=30)

    async def run() -> bytes:
        signer = _external_signer(chain, value)
        attrs = cms.CMSAttributes.load(state["_tbs"])
        signed = await signer.async_sign_prescribed_attributes(DIGEST, signed_attrs=attrs, timestamper=timestamper)
        out = io.BytesIO(pdf)
        digest = PreparedByteRangeDigest(
            state["_digest"], int(state["reserved_region_start"]), int(state["reserved_region_end"])
        )
        await PdfTBSDocument.async_finish_signing(out, digest, signed)
        return out.getvalue()

    try:
        signed_pdf = asyncio.run(run())
    except SignError:
        raise
    except Exception as exc:  # e.g. the CMS does not fit the reserved room, the TSA does not answer
        from .signing import _is_timestamp_error

        if timestamper is not None and _is_timestamp_error(exc):
            raise SignError(
                "dau-thoi-gian",
                f"Không lấy được dấu thời gian từ máy chủ {timestamp_url or 'cấp dấu thời gian'}: {exc}.",
                "chạy lại --hoan-tat khi máy chủ trả lời (chữ ký đã nhận vẫn dùng được), hoặc bỏ --tsa.",
            ) from None
        raise SignError("ky-that-bai", f"Không nhúng được chữ ký vào {prepared_pdf.name}: {exc}.") from None
    return write_signed(
        output_pdf, signed_pdf, field=state["o_ky"], signer=state["nguoi_ky"], created_field=bool(state["o_ky_moi"]),
        warnings=list(state.get("canh_bao", [])), now=now, timestamped=timestamper is not None,
    )  # fmt: skip


def sign_remote(
    input_pdf: Path, output_pdf: Path, remote: RemoteSigner, chain: Sequence[asn1_x509.Certificate], **options: object
) -> SignResult:
    """Both steps in one call through a service adapter: prepare beside ``output_pdf``, ask ``remote`` to sign
    the SHA-256 of the .tbs, finish into ``output_pdf``; the intermediate files are removed afterwards."""
    output_pdf = Path(output_pdf)
    prep = output_pdf.with_name(f".{output_pdf.stem}.chuan-bi.pdf")
    try:
        tbs, _ = prepare_remote(input_pdf, prep, chain, **options)
        signature = remote.sign_digest(hashlib.sha256(tbs).digest(), chain[0])
        return finish_remote(prep, signature, output_pdf)
    finally:
        for path in (prep, tbs_path(prep), state_path(prep)):
            path.unlink(missing_ok=True)

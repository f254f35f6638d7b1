"""sign_pdf: one PAdES signature into a field, written atomically (the input is never modified)."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError

from ..output import OutputError, atomic_write
from .certs import check_certificate, common_name
from .fields import _choose_field, _Field
from .inputs import _load_picture, _open_pdf, _reader
from .keys import _load_p12, _pkcs11_signer
from .layout import _align_producer, _room_for_seal, _set_widget_rect
from .model import VN_TZ, SignError, SignResult
from .stamp import FONT_HINT, FONT_MISSING, Nd30StampStyle, find_font

if TYPE_CHECKING:
    from pyhanko.sign.timestamps import TimeStamper
    from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)


def sign_pdf(
    input_pdf: Path,
    output_pdf: Path,
    p12: Path | None = None,
    password: bytes | None = None,
    *,
    field: str | None = None,
    image: Path | None = None,
    seal: Path | None = None,
    seal_size_mm: float | None = None,
    timestamp_url: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    pkcs11_lib: str | Path | None = None,
    pkcs11_token_label: str | None = None,
    pkcs11_key_label: str | None = None,
    pkcs11_cert_label: str | None = None,
    pin: str | None = None,
    timestamper: TimeStamper | None = None,
    long_term: bool = False,
    trust_roots: Iterable[Path] = (),
) -> SignResult:
    """Sign ``input_pdf`` into ``output_pdf`` (written atomically; the input is never modified).

    The signature is PAdES B-B (``/SubFilter /ETSI.CAdES.detached``, SHA-256), or B-T when ``timestamp_url``
    (an RFC 3161 server; network is used only then) or ``timestamper`` (a pyHanko ``TimeStamper``) is given.
    With ``long_term`` the revocation data (OCSP responses, CRLs) of the signer's chain and of the timestamp's
    is fetched from the addresses in the certificates and embedded (/DSS): PAdES B-LT when timestamped
    (ETSI EN 319 142-1, 6.3); the chain must lead to ``trust_roots`` (or the configured trust list, trust.py).
    It is an incremental update, so earlier signatures stay valid: several signers sign one after another.

    Field: ``field`` names an existing empty signature field (``quyche render -f pdf`` adds one per signer,
    named after the signer, e.g. ``chu-tich-nguyen-van-a``). Without it, the only empty field is used; when
    there is none, a field "chu-ky-so" is added at the bottom right of the last page; when there are several,
    a SignError lists them.

    Appearance (NĐ 30/2020, Phụ lục I, II.7.d and II.8.a): ``image`` — the signer's signature, blue on a
    transparent PNG, centred in the field; ``seal`` — the agency's seal, red transparent PNG, at its actual
    size (from the PNG's DPI, or ``seal_size_mm`` as its width), over the left third of the signer's image;
    then one line "Họ Tên — Ký ngày 23/11/2026 09:30:15 +07:00" with the certificate's common name and the
    signing time in Vietnam time, in Liberation Serif (or Times New Roman) embedded as a subset.

    Key: either ``p12`` (a PKCS#12 .p12/.pfx file) with ``password``, or a PKCS#11 token — the USB tokens and
    smart cards Vietnamese CAs issue (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA, the Ban Cơ yếu Chính phủ's):

        sign_pdf(src, dst, pkcs11_lib="/usr/lib/libvnpt_ca.so",   # the CA's PKCS#11 module (.so / .dll)
                 pkcs11_token_label="VNPT-CA",                      # optional: the token's label
                 pkcs11_key_label="NGUYEN VAN A",                   # the key's label (and the cert's, by default)
                 pin="123456")                                      # the user PIN

    PKCS#11 needs ``pip install 'pyhanko[pkcs11]'`` (python-pkcs11); the labels can be listed with
    ``pkcs11-tool --module LIB -O``. ``pkcs11_cert_label`` is needed only when the certificate's label differs
    from the key's. Tokens that ask for the PIN on their own pad take ``pin=None``.

    Field by name: without ``field``, when several fields are empty, the one whose signer is the
    certificate's subject (common name, NFC and case-insensitive: "NGUYỄN VĂN A" signs "Nguyễn Văn A"'s
    field) is used.

    Raises SignError (code + Vietnamese message) for: an unreadable input or one that is not a PDF, a wrong
    PKCS#12 password, a certificate that expired (with its expiry date), is not yet valid or may not sign
    (key usage, extended key usage), an unknown field (listing the fields), a field already signed, an
    unreadable image, a timestamp server that fails.
    """
    input_pdf, output_pdf = Path(input_pdf), Path(output_pdf)
    _not_in_place(input_pdf, output_pdf)
    if pkcs11_lib is None and p12 is None and (pkcs11_key_label or pkcs11_token_label):
        from .drivers import find_driver

        pkcs11_lib = find_driver()  # a token named without its library: the CAs' usual drivers (drivers.py)
    with contextlib.ExitStack() as stack:
        if pkcs11_lib is not None:
            if p12 is not None:
                raise SignError("hai-khoa", "Chỉ dùng một khóa để ký: tệp .p12 hoặc USB token (PKCS#11), không cả hai.")
            signer = stack.enter_context(
                _pkcs11_signer(str(pkcs11_lib), pkcs11_token_label, pkcs11_key_label, pkcs11_cert_label, pin)
            )
        elif p12 is None:
            raise SignError(
                "thieu-khoa",
                "Chưa có khóa để ký.",
                "ghi --p12 TỆP.p12 (chứng thư số kèm khóa bí mật), hoặc dùng USB token qua PKCS#11.",
            )
        else:
            signer = _load_p12(Path(p12), password)
        if timestamper is None and timestamp_url:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(timestamp_url, timeout=30)
        prepared = prepare_signing(
            input_pdf, signer, field=field, image=image, seal=seal, seal_size_mm=seal_size_mm, reason=reason,
            location=location, timestamper=timestamper,
            validation=_revocation_context(trust_roots) if long_term else None,
        )  # fmt: skip
        try:
            out = prepared.pdf_signer.sign_pdf(
                prepared.writer, existing_fields_only=prepared.new_page is None,
                appearance_text_params={"signer": prepared.signer_name},
            )  # fmt: skip
        except SignError:
            raise
        except SigningError as exc:
            if long_term:  # the chain to a trusted root, or its revocation data, could not be established
                cause = f" ({type(exc.__cause__).__name__}: {exc.__cause__})" if exc.__cause__ else ""
                raise SignError(
                    "thu-hoi-khong-lay-duoc",
                    f"Không ký dài hạn được {input_pdf.name}: không kiểm tra được chuỗi chứng thư tới chứng thư gốc "
                    f"tin cậy hoặc không lấy được dữ liệu thu hồi (OCSP/CRL){cause}.",
                    "kiểm tra chứng thư gốc tin cậy (--tin-cay) và kết nối tới máy chủ OCSP/CRL của CA, "
                    "hoặc ký không kèm --dai-han.",
                ) from None
            raise SignError("ky-that-bai", f"Không ký được {input_pdf.name}: {exc}.") from None
        except RecursionError:
            raise SignError("vuot-gioi-han", f"Tệp PDF {input_pdf.name} lồng quá sâu để ký.") from None
        except Exception as exc:
            if long_term and _is_revocation_error(exc):
                raise SignError(
                    "thu-hoi-khong-lay-duoc",
                    f"Không lấy được dữ liệu thu hồi (OCSP/CRL) để ký dài hạn {input_pdf.name}: "
                    f"{type(exc).__name__}: {exc}.",
                    "kiểm tra kết nối tới máy chủ OCSP/CRL của CA và chứng thư gốc tin cậy (--tin-cay), "
                    "hoặc ký không kèm --dai-han.",
                ) from None
            if timestamper is not None and _is_timestamp_error(exc):
                raise SignError(
                    "dau-thoi-gian",
                    f"Không lấy được dấu thời gian từ máy chủ {timestamp_url or 'cấp dấu thời gian'}: {exc}.",
                    "kiểm tra kết nối mạng và địa chỉ máy chủ cấp dấu thời gian (TSA), "
                    "hoặc ký không kèm dấu thời gian.",
                ) from None
            raise
    result = finish_output(prepared, output_pdf, out.getvalue(), timestamped=timestamper is not None)
    return dataclasses.replace(result, long_term=long_term)


def _not_in_place(input_pdf: Path, output_pdf: Path) -> None:
    if output_pdf.resolve() == input_pdf.resolve():
        raise SignError(
            "trung-tep-goc",
            f"Tệp kết quả trùng tệp gốc {input_pdf}; quyche không ghi đè tệp đang ký.",
            "ghi tệp đã ký ra tên khác (-o TÊN-da-ky.pdf).",
        )


@dataclass
class Prepared:
    """A signature ready to be made: the field chosen, the certificate checked, the appearance laid out."""

    input_pdf: Path
    target: _Field
    new_page: int | None
    signer_name: str
    warnings: list[str]
    writer: IncrementalPdfFileWriter
    pdf_signer: signers.PdfSigner
    now: datetime


def prepare_signing(
    input_pdf: Path,
    signer: signers.Signer,
    *,
    field: str | None = None,
    image: Path | None = None,
    seal: Path | None = None,
    seal_size_mm: float | None = None,
    reason: str | None = None,
    location: str | None = None,
    timestamper: TimeStamper | None = None,
    validation: ValidationContext | None = None,
) -> Prepared:
    """Everything before the signature value: shared by sign_pdf and the two-step (remote) signing."""
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter

    data = _open_pdf(input_pdf)
    reader = _reader(data, input_pdf)
    cert = signer.signing_cert
    if cert is None:
        raise SignError("thieu-khoa", "Không đọc được chứng thư số của người ký.")
    now = datetime.now(timezone.utc)
    check_certificate(cert, now)  # validity, key usage, extended key usage: refused before anything is written
    name = common_name(cert)
    target, new_page = _choose_field(reader, field, input_pdf, signer_name=name)

    warnings: list[str] = []
    visible = target.rect is not None and target.rect[2] > target.rect[0] and target.rect[3] > target.rect[1]
    signer_pic = _load_picture(image, "signer", warnings) if image is not None else None
    seal_pic = _load_picture(seal, "seal", warnings, seal_size_mm) if seal is not None else None
    if not visible and (signer_pic or seal_pic):
        warnings.append(f'Ô ký "{target.name}" không hiển thị trên trang; ảnh chữ ký và ảnh dấu không được vẽ.')
    font = find_font() if visible else None
    if visible and font is None:
        raise SignError("khong-co-phong", FONT_MISSING, FONT_HINT)

    meta = signers.PdfSignatureMetadata(
        field_name=target.name,
        subfilter=SigSeedSubFilter.PADES,  # PAdES baseline (ETSI EN 319 142-1): B-B, or B-T with a timestamp
        md_algorithm="sha256",
        reason=reason,
        location=location,
        embed_validation_info=validation is not None,  # PAdES B-LT: revocation data in /DSS
        validation_context=validation,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    _align_producer(writer)
    rect = _room_for_seal(target.rect, seal_pic) if target.rect is not None else None
    new_field = None
    if new_page is not None:
        assert rect is not None
        new_field = SigFieldSpec(
            sig_field_name=target.name,
            on_page=new_page,
            box=rect,  # type: ignore[arg-type]
            readable_field_name=f"Chữ ký số: {name}",
        )
    elif rect is not None and rect != target.rect and (signer_pic or seal_pic):
        _set_widget_rect(writer, target.name, rect)
    style = Nd30StampStyle(signer_image=signer_pic, seal_image=seal_pic, font_file=font, warnings=warnings)
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=new_field
    )
    return Prepared(input_pdf, target, new_page, name, warnings, writer, pdf_signer, now)


def finish_output(prepared: Prepared, output_pdf: Path, pdf: bytes, *, timestamped: bool) -> SignResult:
    """Write the signed PDF atomically and report what was signed."""
    return write_signed(
        output_pdf, pdf, field=prepared.target.name, signer=prepared.signer_name,
        created_field=prepared.new_page is not None, warnings=prepared.warnings, now=prepared.now,
        timestamped=timestamped,
    )  # fmt: skip


def write_signed(
    output_pdf: Path, pdf: bytes, *, field: str, signer: str, created_field: bool, warnings: list[str],
    now: datetime, timestamped: bool,
) -> SignResult:  # fmt: skip
    try:
        atomic_write(output_pdf, pdf)
    except OutputError as exc:  # e.g. the target is a symlink: never written through
        raise SignError("khong-ghi-duoc", f"Không ghi {output_pdf}: {exc}.") from None
    signed_at = _signed_time(pdf, field) or now
    return SignResult(
        output=output_pdf,
        field=field,
        signer=signer,
        signing_time=signed_at.astimezone(VN_TZ),
        created_field=created_field,
        timestamped=timestamped,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _revocation_context(trust_roots: Iterable[Path]) -> ValidationContext:
    """Fetching allowed, and required to succeed: a long-term signature without its revocation data is not one."""
    from pyhanko_certvalidator import ValidationContext

    from .trust import load_roots, trust_sources

    roots = load_roots(trust_sources(trust_roots))
    if not roots:
        raise SignError(
            "chung-thu-goc-chua-co",
            "Ký dài hạn (--dai-han) cần chứng thư gốc tin cậy để dựng chuỗi chứng thư và lấy dữ liệu thu hồi.",
            "ghi --tin-cay ROOT-CA.pem, hoặc thêm chứng thư gốc vào ~/.config/quyche/tin-cay/.",
        )
    return ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="hard-fail")


def _is_revocation_error(exc: BaseException) -> bool:
    from pyhanko_certvalidator.errors import PathValidationError, ValidationError

    module = type(exc).__module__ or ""
    return isinstance(exc, ValidationError | PathValidationError | OSError) or module.startswith(
        ("aiohttp", "pyhanko_certvalidator")
    )


def _is_timestamp_error(exc: BaseException) -> bool:
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(exc, TimestampRequestError | OSError | TimeoutError):
        return True
    module = type(exc).__module__ or ""
    return module.startswith("aiohttp")


def _signed_time(pdf: bytes, field_name: str) -> datetime | None:
    """The /M of the new signature: the time the appearance shows."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        for sig in reader.embedded_signatures:
            if sig.field_name == field_name:
                return sig.self_reported_timestamp
    except Exception:  # only for the report; the file itself was written
        log.debug("không đọc lại được thời điểm ký", exc_info=True)
    return None

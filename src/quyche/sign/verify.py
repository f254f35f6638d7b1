"""verify_pdf: every signature of a PDF, intact vs trusted, and exactly what changed after each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError

from .certs import common_name as _cn
from .changes import what_changed
from .inputs import _open_pdf, _reader, _short
from .model import SignatureStatus, SignError, _as_vn
from .trust import load_roots, trust_sources


def _modification(status: Any, later_signatures: int, later_timestamps: int) -> str:
    """What changed after a signature, exactly: pyHanko's level says how much is allowed; the revisions
    that follow say what they were. LTA_UPDATES and FORM_FILLING without a later signature are metadata
    or filled fields, not "a signature added"."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    if status.docmdp_ok is False or level is None or level == ModificationLevel.OTHER:
        return "other"
    if level == ModificationLevel.NONE:
        return "none"
    if level == ModificationLevel.ANNOTATIONS:
        return "annotations"
    if later_signatures:
        return "signatures"
    if later_timestamps:
        return "timestamps"
    return "form" if level == ModificationLevel.FORM_FILLING else "metadata"


def _trust_problem(status: Any, cert: Any, signer: str, roots: list[asn1_x509.Certificate]) -> str | None:
    """Why an intact signature is not trusted, in the signer's terms (None when it is trusted)."""
    if status.trusted:
        return None
    if not roots:
        return (
            "chưa có chứng thư gốc nào được tin cậy để đối chiếu (ghi --tin-cay CHUNG-THU-GOC.pem, "
            "hoặc thêm chứng thư gốc vào danh sách tin cậy)"
        )
    indic = getattr(status, "trust_problem_indic", None)
    name = getattr(indic, "name", "") or ""
    issuer = _safe(lambda: cert.issuer.human_friendly) or "không rõ"
    if "REVOKED" in name:
        return f"chứng thư số của {signer} đã bị thu hồi"
    if "OUT_OF_BOUNDS" in name or "EXPIRED" in name or "NOT_YET_VALID" in name:
        return f"chứng thư số của {signer} không còn (hoặc chưa) hiệu lực tại thời điểm kiểm tra"
    if not name or "NO_CERTIFICATE_CHAIN" in name or "CHAIN_CONSTRAINTS" in name:
        return f"chứng thư số của {signer} (cấp bởi {issuer}) không dẫn tới chứng thư gốc nào được tin cậy"
    return f"chứng thư số của {signer} (cấp bởi {issuer}) chưa được tin cậy ({name})"


def verify_pdf(path: Path, *, trust_roots: Iterable[Path] = (), configured_trust: bool = True) -> list[SignatureStatus]:
    """Check every signature of ``path``, in the order they were made (document timestamps are skipped).

    ``intact`` is the cryptographic verdict (hash of the signed bytes and the signature math); ``trusted``
    says whether the certificate chains to one of ``trust_roots`` (PEM/DER files or folders, e.g. the Root CA
    of the Vietnamese national PKI) or, when ``configured_trust``, of the configured trust list (trust.py:
    QUYCHE_TRUST, ~/.config/quyche/tin-cay/); ``trust_problem`` says why not. Without trust roots every
    signature is reported untrusted but is still checked. No network is used (no OCSP/CRL fetching).
    """
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    path = Path(path)
    data = _open_pdf(path)
    reader = _reader(data, path)
    roots = load_roots(trust_sources(trust_roots, configured=configured_trust))
    key_usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    out: list[SignatureStatus] = []
    try:
        embedded = list(reader.embedded_regular_signatures)  # document timestamps (B-LTA) are not signers
        stamps = [t.signed_revision for t in reader.embedded_timestamp_signatures]
    except RecursionError:
        raise SignError("vuot-gioi-han", f"Tệp PDF {path} lồng quá sâu để đọc.") from None
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SignError("pdf-hong", f"Không đọc được chữ ký trong {path} ({_short(exc)}).") from None
    revocation = bool(_safe(lambda: _revocation_count(reader)))
    for sig in embedded:
        name = str(sig.field_name)
        try:
            cert = sig.signer_cert
            signer = _cn(cert)
        except Exception:
            cert, signer = None, ""
        claimed = _as_vn(_safe(lambda s=sig: s.self_reported_timestamp))
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context, key_usage_settings=key_usage)
        except Exception as exc:  # a mangled CMS blob, unsupported algorithm, …: the signature cannot stand
            problem = f"không kiểm tra được chữ ký: {exc}"
            out.append(SignatureStatus(name, signer, claimed, None, False, False, False, "other", problem))
            continue
        ts = status.timestamp_validity
        intact = bool(status.intact and status.valid)
        later = sum(other.signed_revision > sig.signed_revision for other in embedded)
        modification = _modification(status, later, sum(rev > sig.signed_revision for rev in stamps))
        problem = None
        if not status.intact:
            problem = "nội dung đã ký không còn khớp với chữ ký (tệp đã bị sửa sau khi ký)"
        elif not status.valid:
            problem = "chữ ký không khớp với khóa công khai của chứng thư số"
        elif modification == "other":
            found = _safe(lambda s=sig: what_changed(reader, s.signed_revision)) or []
            problem = "tệp có thay đổi sau khi ký ngoài việc ký thêm" + (
                f": {'; '.join(found)}" if found else " (nội dung hiển thị có thể đã khác)"
            )
        elif ts is not None and not (ts.intact and ts.valid):
            problem = "dấu thời gian không hợp lệ"
        out.append(
            SignatureStatus(
                field=name,
                signer=signer,
                signing_time=claimed,
                timestamp_time=_as_vn(ts.timestamp) if ts is not None else None,
                intact=intact,
                trusted=bool(status.trusted),
                covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                modification=modification,
                problem=problem,
                trust_problem=_trust_problem(status, cert, signer or "người ký", roots) if intact else None,
                revocation_embedded=revocation,
            )
        )
    return out


def _revocation_count(reader: Any) -> int:
    """OCSP responses and CRLs in the document security store (/DSS, ISO 32000-2, 12.8.4.3)."""
    dss = reader.root.get("/DSS")
    if dss is None:
        return 0
    dss = dss.get_object()
    return sum(len(dss[key]) for key in ("/OCSPs", "/CRLs") if key in dss)


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except Exception:
        return None

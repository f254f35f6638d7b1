"""Signing's vocabulary: the error, the results, Vietnam time (NĐ 30/2020, Phụ lục I, II.8.a–b)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

VN_TZ = timezone(timedelta(hours=7), "+07:00")  # Vietnam keeps UTC+07:00 all year (the-thuc §1.9: ISO 8601)


class SignError(Exception):
    """A user-facing signing or verification problem: a stable code, a Vietnamese message, maybe a hint."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(message)

    def format(self) -> str:
        out = f"lỗi [{self.code}] {self.message}"
        return out + (f"\n   gợi ý: {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class SignResult:
    output: Path
    field: str
    signer: str  # common name of the signing certificate
    signing_time: datetime  # in Vietnam time
    created_field: bool  # True when no empty field existed and one was added on the last page
    timestamped: bool  # PAdES B-T (a timestamp token from a TSA) rather than B-B
    warnings: tuple[str, ...] = ()
    long_term: bool = False  # revocation data embedded (/DSS): B-LT when timestamped


@dataclass(frozen=True)
class SignatureStatus:
    field: str
    signer: str  # common name of the signing certificate ("" when unreadable)
    signing_time: datetime | None  # the time the signer claims (/M), in Vietnam time
    timestamp_time: datetime | None  # the time certified by a timestamp token (B-T), in Vietnam time
    intact: bool  # the signed bytes hash to the signed digest AND the signature verifies with the cert's key
    trusted: bool  # the certificate chains to one of the trusted roots given to verify_pdf
    covers_whole_document: bool  # nothing was appended after this signature
    # after signing: "none" | "signatures" (later signatures) | "timestamps" (document timestamps only) |
    # "form" (fields filled, no signature) | "metadata" (metadata only) | "annotations" | "other"
    modification: str
    problem: str | None = None  # Vietnamese explanation when something is wrong
    trust_problem: str | None = None  # why an intact signature is not trusted (no root, unknown issuer, …)
    revocation_embedded: bool = False  # the document carries OCSP responses or CRLs (/DSS): long-term, B-LT

    @property
    def valid(self) -> bool:
        """The signed content is unchanged, and what was added after it (if anything) is further signatures,
        form filling or annotations, not a change of the content (pyHanko's difference analysis)."""
        return self.intact and self.modification in ALLOWED_CHANGES

    @property
    def time(self) -> datetime | None:
        """The best known signing time: the timestamp's when there is one."""
        return self.timestamp_time or self.signing_time


ALLOWED_CHANGES = ("none", "signatures", "timestamps", "form", "metadata", "annotations")


def format_vn_time(when: datetime) -> str:
    """23/11/2026 09:30:15 +07:00 (NĐ 30/2020, Phụ lục I, II.8.a: ngày tháng năm; giờ phút giây; múi giờ)."""
    return f"{when.astimezone(VN_TZ):%d/%m/%Y %H:%M:%S} +07:00"


def _as_vn(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(VN_TZ)

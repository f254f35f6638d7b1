"""The report: one line per finding — ``file:trang/đoạn: lỗi|cảnh báo [rule-id] message`` — with the excerpt,
the citation and whether ``--sua`` fixes it; or the same as JSON for machines (the web editor)."""

from __future__ import annotations

import json
from typing import Any

from . import CheckResult
from .detect import REGIMES

KIND_NAMES = {
    "quy_che": "quy chế",
    "chuong_trinh": "chương trình",
    "giay_moi": "giấy mời",
    "bien_ban": "biên bản",
    "ke_hoach": "kế hoạch",
    "quyet_dinh": "quyết định",
    "bao_cao": "báo cáo",
    "thong_bao": "thông báo",
    "cong_van": "công văn",
}


def describe(result: CheckResult) -> str:
    ident = result.ident
    if ident is None:
        return ""
    kind = KIND_NAMES.get(ident.kind, "không rõ loại")
    text = f"văn bản {REGIMES[ident.regime]}, {kind} — thể thức {ident.profile}"
    sheet = result.sheet
    if sheet is not None and sheet.fmt == "pdf":  # facts only a PDF shows, said, not judged
        signed = sum(s for _, s in sheet.signature_fields)
        claim = f"PDF/A-{sheet.pdfa}" if sheet.pdfa else "không tuyên bố PDF/A"
        text += f"; {claim}; {len(sheet.signature_fields)} ô chữ ký số ({signed} đã ký)"
    return text


def format_text(result: CheckResult) -> list[str]:
    if result.failure is not None:
        return [f"{result.path}: lỗi [{result.failure.code}] {result.failure.message}"]
    out = [f"{result.path}: {describe(result)}"]
    for f in result.findings:
        label = "lỗi" if f.is_error else "cảnh báo"
        where = f":{f.where}" if f.where else ""
        out.append(f"{result.path}{where}: {label} [{f.rule}] {f.message}")
        if f.excerpt:
            out.append(f"   | {f.excerpt}")
        out.append(f"   căn cứ: {f.citation}")
        if f.fix:
            out.append(f"   sửa được (--sua): {f.fix}")
    out.append(summary(result))
    return out


def summary(result: CheckResult) -> str:
    if result.failure is not None:
        return f"{result.path}: không kiểm tra được."
    if not result.findings:
        return f"{result.path}: đúng thể thức, không có lỗi."
    n_err = len(result.errors)
    n_warn = len(result.findings) - n_err
    n_fix = sum(bool(f.fix) for f in result.findings)
    tail = f" ({n_fix} sửa được bằng --sua)" if n_fix and result.fmt == "docx" else ""
    return f"{result.path}: {n_err} lỗi, {n_warn} cảnh báo{tail}."


def as_json(
    result: CheckResult, fixes: list[str] | None = None, written: str | None = None, source: str | None = None
) -> dict[str, Any]:
    """One file's result; after --sua: the fixed file's result, the fixes applied and the original's path."""
    out: dict[str, Any] = {"file": result.path, "format": result.fmt or None}
    if result.failure is not None:
        out["error"] = {"code": result.failure.code, "message": result.failure.message}
        return out
    ident = result.ident
    assert ident is not None
    out.update(
        {
            "regime": ident.regime,
            "kind": ident.kind or None,
            "profile": ident.profile,
            "clean": result.clean,
            "errors": len(result.errors),
            "warnings": len(result.findings) - len(result.errors),
            "findings": [f.as_json() for f in result.findings],
        }
    )
    sheet = result.sheet
    if sheet is not None and sheet.fmt == "pdf":
        out["pdfa"] = sheet.pdfa
        out["signature_fields"] = [{"name": n, "signed": s} for n, s in sheet.signature_fields]
    if fixes is not None:
        out["fixes"] = fixes
        out["written"] = written
        out["source"] = source
    return out


def dumps(items: list[dict[str, Any]], skipped: list[str] | None = None) -> str:
    """The JSON of a run; ``skipped``: files passed over as neither .docx nor PDF (only when there are some)."""
    out: dict[str, Any] = {"files": items}
    if skipped:
        out["skipped"] = skipped
    return json.dumps(out, ensure_ascii=False, indent=2)

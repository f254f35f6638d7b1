"""What only a PDF shows: whether its PDF/A claim holds (ISO 19005-2: every font embedded, an OutputIntent, no
encryption, the XMP metadata agreeing with the Info dictionary) and whether each signer has one signature
field (``pdfa.claim``, ``sign.digital_field``)."""

from __future__ import annotations

import re

from .context import Context
from .detect import is_caps
from .model import Line

_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]*$")


def check_pdfa(c: Context) -> None:
    sheet = c.sheet
    if sheet.fmt != "pdf" or not sheet.pdfa or not c.has("pdfa.claim"):
        return
    facts = sheet.pdf_facts
    problems = []
    if sheet.fonts_not_embedded:
        problems.append(f"phông không nhúng ({', '.join(sorted(sheet.fonts_not_embedded))})")
    if not facts.get("output_intent"):
        problems.append("không có OutputIntent (hồ sơ màu)")
    if facts.get("encrypted"):
        problems.append("tệp bị mã hóa")
    for key in facts.get("xmp_mismatch", []):
        problems.append(f"siêu dữ liệu XMP khác mục {key} của từ điển Info")
    if problems:
        c.find(
            "pdfa.claim",
            f"Tệp tuyên bố PDF/A-{sheet.pdfa} nhưng không đúng chuẩn: {'; '.join(problems)}.",
            where="",
            excerpt="",
        )


def signer_names(c: Context) -> list[Line]:
    """The signers' names: a .docx's name lines of its signature tables; in a PDF, the short bold lines in
    title case (every word capitalised, no digits) that stand below the first signature title."""
    if c.sheet.fmt == "docx":
        return c.lines("chu_ky_ho_ten")
    lines = c.sheet.lines
    start = next((i for i, ln in enumerate(lines) if ln.role == "chu_ky_chuc_vu"), None)
    if start is None:
        start = next((i for i, ln in enumerate(lines) if ln.role == "noi_nhan_nhan"), len(lines))
        start = max(0, start - 8)
    out: list[Line] = []
    for ln in lines[start:]:
        words = ln.text.split()
        if (
            ln.bold is True
            and 2 <= len(words) <= 5
            and not is_caps(ln.text)
            and ln.role in ("doan", "chu_ky_ho_ten", "o_bang")
            and all(_NAME_WORD.match(wd) for wd in words)
            and all(ln.text != o.text for o in out)  # one person signs a decision and what it issues once
        ):
            out.append(ln)
    return out


def check_signature_fields(c: Context) -> None:
    fields = c.sheet.signature_fields
    if c.sheet.fmt != "pdf" or not fields or not c.has("sign.digital_field"):
        return
    names = signer_names(c)
    if names and len(names) != len(fields):
        c.find(
            "sign.digital_field",
            f"{len(names)} người ký ({', '.join(n.text for n in names)}) nhưng có {len(fields)} ô chữ ký số: "
            "mỗi người ký một ô.",
            names[0],
            excerpt=", ".join(name for name, _ in fields),
        )

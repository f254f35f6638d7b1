"""Page numbers from page 2 (ND30-PL1 §I.7: Arabic numerals, centred in the top margin, none on page 1; Party
documents: the-thuc §2.7). A .docx says it in its header parts (the default header, ``w:titlePg``,
``w:pgNumType``); a PDF shows it in the top band of pages 2+. A .docx does not know its pages: a missing number
is reported only when the text surely runs past one page."""

from __future__ import annotations

import math

from .context import Context
from .detect import QUOC_HIEU, TIEU_DE_DANG, fold
from .model import Line

PT_MM = 25.4 / 72
PAGE_TEXT_MM = 297 - 45  # A4 less the least top and bottom margins


def estimated_height_mm(lines: list[Line]) -> float:
    """A low estimate of the text's height: body lines at ~0.45 em a character, single spacing, header and
    signature tables counted once per row (their two columns stand side by side)."""
    total = 0.0
    for ln in lines:
        if ln.zone != "body" or not ln.text:
            continue
        size = ln.size or 14.0
        per_line = max((ln.avail_mm or 165.0) / (size * PT_MM * 0.45), 20)
        total += math.ceil(len(ln.text) / per_line) * size * PT_MM * 1.15 + 6 * PT_MM * 0.5
    header = any(ln.zone == "header" for ln in lines)
    signature = any(ln.role in ("chu_ky_chuc_vu", "chu_ky_ho_ten") for ln in lines)
    return total + 40.0 * header + 50.0 * signature  # the header rows; a signature block with its gap


def check_page_numbers(c: Context) -> None:
    pages = c.sheet.pages
    if not pages:
        return
    if c.sheet.fmt == "docx":
        later = [pages[0]]
        many = estimated_height_mm(c.sheet.lines) > 1.15 * PAGE_TEXT_MM
    else:
        later = pages[1:]
        many = len(pages) > 1
    starts = _part_starts(c) if c.sheet.fmt == "pdf" else set()
    for n, page in enumerate(later, 2):
        if n in starts:
            continue
        where = f"trang {n}" if c.sheet.fmt == "pdf" else "đầu trang (trang 2 trở đi)"
        if page.number_later is None:
            continue
        if not page.number_later:
            if many and c.has("page_number.format"):
                c.find(
                    "page_number.format",
                    "Không có số trang từ trang 2: đánh số bằng chữ số Ả Rập, giữa lề trên." if c.sheet.fmt == "docx"
                    else f"Trang {n} không có số trang ở lề trên.",
                    where=where,
                    excerpt="",
                )  # fmt: skip
            return
        if page.number_format not in ("decimal", None) and c.has("page_number.format"):
            form = "La Mã" if "oman" in page.number_format else page.number_format
            c.find(
                "page_number.format",
                f"Số trang viết bằng chữ số {form}, phải là chữ số Ả Rập (1, 2, 3…).",
                where=where,
                excerpt="",
            )
            return
        want = str(c.profile.get("page_number.align", "center")) if c.has("page_number.align") else ""
        if want and page.number_align != want:
            place = "ở chân trang" if page.number_align == "bottom" else "không canh giữa"
            c.find(
                "page_number.align",
                f"Số trang {place}: số trang đặt giữa, trong lề trên của trang.",
                where=where,
                excerpt="",
            )
            return


def _part_starts(c: Context) -> set[int]:
    """Pages that begin a part of their own — a regulation issued with the quyết định (its own Quốc hiệu or
    tiêu đề), an appendix ("Phụ lục") — show no number on their first page (ND30-PL1 §III.1.đ, the
    ``appendix.page_number.first_page`` setting)."""
    out: set[int] = set()
    first: dict[int, list[Line]] = {}
    for ln in c.sheet.lines:
        if ln.page and ln.role != "so_trang":
            first.setdefault(ln.page, []).append(ln)
    for page, lines in first.items():
        top = [fold(ln.text) for ln in lines[:4]]
        if (top and top[0].startswith("PHỤ LỤC")) or QUOC_HIEU in top or TIEU_DE_DANG in top:
            out.add(page)
    return out

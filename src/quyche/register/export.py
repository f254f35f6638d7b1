"""Export of the register: the book's 10 columns of NĐ 30/2020, Phụ lục IV, to CSV and .xlsx, atomically."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..cells import safe_value, text_row
from ..output import atomic_write
from .entry import COLUMNS, Entry
from .series import Series


def export_csv(entries: Sequence[Entry], path: str | os.PathLike[str]) -> int:
    """CSV (UTF-8 with BOM, for Excel) with the 10 columns, written atomically; returns the row count."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows(text_row(e.cells()) for e in entries)  # never a formula (cells.py, OWASP)
    atomic_write(Path(path), buf.getvalue().encode("utf-8-sig"))
    return len(entries)


def export_xlsx(entries: Sequence[Entry], path: str | os.PathLike[str]) -> int:
    """.xlsx: one sheet per series (a book per year, or per type and term), the 10 columns on row 1, printable in
    the book's format (A4 landscape, header row repeated)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    groups: dict[Series | None, list[Entry]] = {}
    for e in entries:
        groups.setdefault(e.series, []).append(e)
    wb = Workbook()
    wb.remove(wb.active)
    titles: set[str] = set()
    for series, rows in groups.items() or [(None, [])]:
        label = series.ten if series else "Sổ đăng ký văn bản đi"
        ws = wb.create_sheet(_sheet_title(series.ten_ngan if series else label, titles))
        ws.append(COLUMNS)
        for e in rows:
            ws.append([safe_value(v) for v in e.values()])  # never a formula (cells.py, OWASP)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
        for letter, width in zip("ABCDEFGHIJ", (16, 12, 48, 24, 32, 20, 9, 12, 14, 30), strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.oddHeader.center.text = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI — {label}"
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(Path(path), buf.getvalue())
    return len(entries)


def _sheet_title(label: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", label).strip("' ")[:31] or "Sổ"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title

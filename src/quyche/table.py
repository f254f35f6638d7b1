"""Rosters as tables: a CSV or XLSX file → rows keyed by the header row, positions (row, column).

Bounded like every input (budget.py): the file's bytes (``roster_bytes``), rows (``roster_rows``),
cells (``roster_cells``) and one field's bytes (``roster_field``), counted while reading so that a
million-row sheet stops at the limit. An XLSX is opened as a bounded zip (safezip.py) and its
shared-strings part — the one openpyxl loads whole — is measured in the zip before the workbook is
opened; rows are streamed (openpyxl ``read_only``). A CSV is read as Excel writes it: RFC 4180
quoting with doubled quotes inside quoted fields, the delimiter (",", ";" or Tab) taken from the
header line. Every problem is located at its row and column.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import budget
from .errors import Diagnostic, DiagnosticError, Location
from .files import InputFileError
from .source import SourceMap, display_name, read_text

_DELIMITERS = (",", ";", "\t")


def _refuse(code: str, loc: Location | None, detail: str) -> DiagnosticError:
    return DiagnosticError([Diagnostic.make(code, loc, detail=detail)])


def _delimiter(header_line: str) -> str:
    """The delimiter used most in the header line outside quotes (a one-column file: ",")."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class _ExcelCsv(csv.Dialect):
    delimiter = ","
    quotechar = '"'
    doublequote = True  # Excel writes a quote inside a quoted field as "" (RFC 4180, 2.7)
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


def _csv_rows(p: Path, name: str) -> Iterator[tuple[int, list[Any]]]:
    text = read_text(p, name, "roster_bytes")
    dialect = type("_D", (_ExcelCsv,), {"delimiter": _delimiter(text.split("\n", 1)[0])})
    # The whole file is already bounded; the per-field check below is ours, so that it has a column.
    csv.field_size_limit(max(csv.field_size_limit(), budget.limit("roster_bytes") + 1))
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _refuse("danh-muc-loi", Location(name, reader.line_num or line, 1), f"CSV hỏng ({exc})") from None


def _xlsx_rows(p: Path, name: str) -> Iterator[tuple[int, list[Any]]]:
    from .safezip import ZipRefused, open_zip

    try:
        with open_zip(p, "danh mục") as z:
            for info in z.infolist():
                if info.filename.lower().endswith("sharedstrings.xml"):
                    budget.check("xlsx_strings", info.file_size, "sharedStrings.xml")
    except budget.Exceeded as exc:
        raise _refuse("vuot-gioi-han", Location(name, 1, 1), exc.detail) from None
    except (ZipRefused, InputFileError) as exc:
        raise _refuse(exc.code, Location(name, 1, 1), exc.detail) from None
    import openpyxl  # lazy: only rosters exported from Excel need it

    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _refuse("danh-muc-loi", Location(name, 1, 1), f"tệp .xlsx hỏng ({type(exc).__name__})") from None
    try:
        sheet = book.active
        if sheet is None:
            raise _refuse("danh-muc-loi", Location(name, 1, 1), "không có trang tính")
        try:
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield r, ["" if v is None else v for v in row]
        except DiagnosticError:
            raise
        except Exception as exc:
            raise _refuse("danh-muc-loi", Location(name, 1, 1), f"tệp .xlsx hỏng ({type(exc).__name__})") from None
    finally:
        book.close()


def _bounded(rows: Iterable[tuple[int, list[Any]]], name: str) -> Iterator[tuple[int, list[Any]]]:
    """Counts rows, cells and field sizes as they stream; stops at the first budget exceeded."""
    max_rows, max_cells, max_field = (budget.limit(k) for k in ("roster_rows", "roster_cells", "roster_field"))
    cells = 0
    for n, (r, row) in enumerate(rows, start=1):
        if n > max_rows + 1:  # + the header row
            raise _refuse("vuot-gioi-han", Location(name, r, 1), f"hơn {max_rows} dòng (QUYCHE_MAX_ROWS)")
        while row and (row[-1] == "" or row[-1] is None):
            row.pop()  # trailing empty cells (a sheet formatted far to the right) cost nothing
        cells += len(row)
        if cells > max_cells:
            raise _refuse("vuot-gioi-han", Location(name, r, 1), f"hơn {max_cells} ô (QUYCHE_MAX_CELLS)")
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > max_field:
                detail = f"ô dài {len(value)} ký tự > {max_field} (QUYCHE_MAX_FIELD)"
                raise _refuse("vuot-gioi-han", Location(name, r, c), detail)
        yield r, row


def load_table(path: str | os.PathLike[str]) -> tuple[list[dict[str, Any]], SourceMap]:
    """A CSV (UTF-8; comma, semicolon or Tab) or XLSX roster → rows keyed by the header row, with a
    source map whose positions are (row, column) in the sheet, so errors point at the cell."""
    p = Path(path)
    name = display_name(p)
    smap = SourceMap(name)
    source = _xlsx_rows(p, name) if p.suffix.lower() == ".xlsx" else _csv_rows(p, name)
    stream = _bounded(source, name)
    first = next(stream, None)
    if first is None:
        raise DiagnosticError([Diagnostic.make("yaml-rong", Location(name, 1, 1))])
    header = [str(h).strip() for h in first[1]]
    rows: list[dict[str, Any]] = []
    for r, raw in stream:
        if not any(str(v).strip() for v in raw):
            continue
        i = len(rows)
        smap.values[(i,)] = (r, 1)
        row: dict[str, Any] = {}
        for c, key in enumerate(header, start=1):
            value = raw[c - 1] if c - 1 < len(raw) else ""
            if key and str(value).strip() != "":
                row[key] = value.strip() if isinstance(value, str) else value
                smap.values[(i, key)] = (r, c)
                smap.keys[(i, key)] = (r, c)
        rows.append(row)
    return rows, smap

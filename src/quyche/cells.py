"""Text for spreadsheet cells: exported cells are data, never formulas.

OWASP "CSV Injection": a cell that begins with "=", "+", "-", "@", a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(…)``, ``@SUM(…)``, DDE ``=cmd|…``). Every such cell
is prefixed with a single quote, which the spreadsheet shows as plain text; in .xlsx every string is also
written with the string type, so no value from a roster or a register line is ever evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: Any) -> str:
    """A cell's text, prefixed with ' when a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def text_row(values: Iterable[Any]) -> list[str]:
    return [as_text(v) for v in values]


def safe_value(value: Any) -> Any:
    """For .xlsx: strings made safe, numbers and dates kept as they are (they are never formulas)."""
    return as_text(value) if isinstance(value, str) else value

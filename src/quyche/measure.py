"""Text widths from font metrics (Liberation Serif = Times New Roman advance widths).

Used to draw the rule under the Tiêu ngữ exactly as long as the text (NĐ 30/2020, Phụ lục I,
II.1.b) and to size header cells so that the Quốc hiệu never wraps (the-thuc §1.4).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .data_cache import load_json

PT_TO_MM = 25.4 / 72
_METRICS = Path(__file__).resolve().parent / "metrics" / "times.json"


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict]:
    return load_json(_METRICS.read_text(encoding="utf-8"), str(_METRICS))  # parsed once, then cached


def _table(bold: bool, italic: bool) -> dict:
    style = ("bold_" if bold else "") + ("italic" if italic else "")
    return _tables()[style.rstrip("_") or "regular"]


def text_units(text: str, *, bold: bool = False, italic: bool = False) -> int:
    """The advance widths of ``text`` in font units. Additive over pieces joined by spaces (a space never
    combines with its neighbours under NFC), so a caller may add the units of words instead of measuring
    every run of them again (compose/ngat_dong.py ``even_lines``)."""
    table = _table(bold, italic)
    widths: dict[str, int] = table["widths"]
    default = table["default"]
    units = 0
    for ch in unicodedata.normalize("NFC", text):
        w = widths.get(ch)
        if w is None:  # a precomposed letter the table lacks: its base letter's width
            base = unicodedata.normalize("NFD", ch)[0]
            w = widths.get(base, default)
        units += w
    return units


def units_mm(units: int, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Font units at ``size_pt`` in mm."""
    return units / _table(bold, italic)["units_per_em"] * size_pt * PT_TO_MM


def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    return units_mm(text_units(text, bold=bold, italic=italic), size_pt, bold=bold, italic=italic)


def wrap_lines(text: str, size_pt: float, width_mm: float, *, bold: bool = False, italic: bool = False) -> list[str]:
    """Greedy word wrap as a word processor does it; used to know the longest line of a title."""
    words = [w for w in re.split(r"[ \t\n]+", text) if w]  # (a no-break space joins two words)
    lines: list[str] = []
    current = ""
    for w in words:
        trial = f"{current} {w}" if current else w
        if current and text_width_mm(trial, size_pt, bold=bold, italic=italic) > width_mm:
            lines.append(current)
            current = w
        else:
            current = trial
    if current:
        lines.append(current)
    return lines

"""The short lines drawn under the agency name and under the trích yếu: 1/3 to 1/2 of the text line they stand
under, centred on it (ND30-PL1 §II.2.b, §II.5.b; ``header.co_quan.rule_fraction``, ``trich_yeu.rule_fraction``).
The text line is measured from the font's metrics (the longest line of the agency group, the longest line of the
trích yếu: its lines broken by hand, each wrapped); a .docx border's centring is read from its paragraph's indents."""

from __future__ import annotations

from ..measure import text_width_mm, wrap_lines
from .context import Context
from .model import Line
from .package import w
from .rules_page import fmt
from .styles import attr_int

TOL_MM = 1.0
TW_PER_MM = 1440 / 25.4


def _fraction_range(c: Context, key: str) -> tuple[float, float]:
    rule = c.profile.rule(key)
    lo, hi = rule.range or (float(rule.value), float(rule.value))
    return float(lo), float(hi)


def _judge(c: Context, key: str, name: str, rule_line: Line, length: float, text_mm: float, at: Line) -> None:
    lo, hi = _fraction_range(c, key)
    if text_mm <= 0:
        return
    # A wrapped title's longest line depends on where the word processor breaks it: 10 % either way.
    tol = TOL_MM + (0.1 * lo * text_mm if key.startswith("trich_yeu") else 0.0)
    if not lo * text_mm - tol <= length <= hi * text_mm + tol:
        c.find(
            key,
            f"Đường kẻ dưới {name} dài {fmt(length)} mm, phải từ 1/3 đến 1/2 dòng chữ "
            f"({fmt(round(lo * text_mm, 1))}–{fmt(round(hi * text_mm, 1))} mm).",
            at,
        )
        return
    if c.sheet.fmt == "docx" and rule_line.border_only and rule_line.ref is not None:
        ind = rule_line.ref.find(f"{w('pPr')}/{w('ind')}")
        if ind is not None:
            left = attr_int(ind, "left", attr_int(ind, "start"))
            right = attr_int(ind, "right", attr_int(ind, "end"))
            if abs(left - right) / TW_PER_MM > 2 * TOL_MM:
                c.find(key, f"Đường kẻ dưới {name} không cân đối giữa dòng chữ.", at)


def check_rule_lengths(c: Context) -> None:
    lines = c.sheet.lines
    if c.has("header.co_quan.rule_fraction"):
        _agency(c, [ln for ln in lines if ln.zone == "header" and ln.column in ("left", "")])
    if c.has("trich_yeu.rule_fraction"):
        _trich_yeu(c, lines)


def _agency(c: Context, left: list[Line]) -> None:
    group: list[Line] = []
    for ln in left:
        if ln.role == "co_quan":
            group.append(ln)
            if ln.rule_mm is not None and not ln.border_only and c.sheet.fmt == "pdf":
                _measure_group(c, group, ln, ln.rule_mm)  # a PDF: the line is drawn under the last name
                group = []
            continue
        if ln.role == "duong_ke" and group and ln.rule_mm is not None:
            _measure_group(c, group, ln, ln.rule_mm)
        group = []


def _measure_group(c: Context, group: list[Line], rule_line: Line, length: float) -> None:
    """The line is measured against the issuing body's name (bold), not the superior body above it (upright)."""
    names = [ln for ln in group if ln.bold] or group
    text_mm = max(text_width_mm(ln.text, ln.size or 13.0, bold=ln.bold is not False) for ln in names)
    _judge(c, "header.co_quan.rule_fraction", "tên cơ quan", rule_line, length, text_mm, group[-1])


def _trich_yeu(c: Context, lines: list[Line]) -> None:
    title = [ln for ln in lines if ln.role == "trich_yeu"]
    if not title:
        return
    last = title[-1]
    i = lines.index(last)
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if last.rule_mm is not None and not last.border_only and c.sheet.fmt == "pdf":
        rule_line, length = last, last.rule_mm
    elif nxt is not None and nxt.role == "duong_ke" and nxt.rule_mm is not None:
        rule_line, length = nxt, nxt.rule_mm
    else:
        return
    margin_wrong = any(f.rule in ("page.margin_mm.left", "page.margin_mm.right") for f in c.findings)
    if margin_wrong and (rule_line.border_only or c.sheet.fmt == "pdf"):
        return  # a border runs the text width: a wrong margin stretched it, and fixing the margin restores it
    widths = []
    for ln in title:
        size = ln.size or 14.0
        if c.sheet.fmt == "pdf":
            widths.append(text_width_mm(ln.text, size, bold=True))
        else:
            avail = ln.avail_mm or 165.0
            for part in ln.segments or (ln.text,):  # lines broken by hand, each wrapped as the word processor would
                widths.extend(text_width_mm(x, size, bold=True) for x in wrap_lines(part, size, avail, bold=True))
    _judge(c, "trich_yeu.rule_fraction", "trích yếu", rule_line, length, max(widths), last)

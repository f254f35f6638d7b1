"""Where something is in a Word part, said as a clerk sees it: the paragraph's text and the table cell,
never an XML offset (docs/errors.md, ``mau-word-…``).

Word templates are compiled one paragraph per source line (template.py puts a newline before every
``<w:p``), so a Jinja line number names a paragraph; its table position is counted from the XML before it.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]+>")
_CELL_EVENTS = re.compile(r"<w:tbl[ >]|</w:tbl>|<w:tr[ >]|<w:tc[ >]")
PART_NAMES = {
    "word/document.xml": "thân văn bản",
    "word/footnotes.xml": "chú thích cuối trang",
    "word/endnotes.xml": "chú thích cuối văn bản",
    "docProps/core.xml": "thuộc tính tệp",
}


def part_label(member: str) -> str:
    if member in PART_NAMES:
        return PART_NAMES[member]
    m = re.match(r"word/(header|footer)(\d*)\.xml$", member)
    if m:
        return ("đầu trang " if m.group(1) == "header" else "chân trang ") + (m.group(2) or "")
    return member


def plain(xml: str, limit: int = 80) -> str:
    """The visible text of an XML fragment, shortened."""
    text = _TAG.sub("", xml)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_of(xml_before: str) -> str:
    """ "bảng 2, dòng 3, ô 1" for a position whose preceding XML is ``xml_before``; "" outside tables."""
    stack: list[list[int]] = []  # per open table: [table number, row, cell]
    tables = 0
    for m in _CELL_EVENTS.finditer(xml_before):
        tag = m.group(0)
        if tag.startswith("<w:tbl"):
            tables += 1
            stack.append([tables, 0, 0])
        elif tag == "</w:tbl>":
            if stack:
                stack.pop()
        elif stack and tag.startswith("<w:tr"):
            stack[-1][1] += 1
            stack[-1][2] = 0
        elif stack:
            stack[-1][2] += 1
    if not stack:
        return ""
    t, r, c = stack[-1]
    return f"bảng {t}, dòng {r}, ô {c}"


def describe(member: str, source: str, lineno: int | None) -> str:
    """ "thân văn bản, đoạn «Kính gửi: {{ ten }}» (bảng 1, dòng 2, ô 1)" for line ``lineno`` of a compiled
    part whose source is ``source``."""
    label = part_label(member)
    if not lineno:
        return label
    lines = source.split("\n")
    if not 0 < lineno <= len(lines):
        return label
    before = "\n".join(lines[: lineno - 1])
    text = plain(lines[lineno - 1]) or "(đoạn trống)"
    cell = cell_of(before)
    return f"{label}, đoạn «{text}»" + (f" ({cell})" if cell else "")

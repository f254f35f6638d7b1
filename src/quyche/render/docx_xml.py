"""WordprocessingML fragments shared by the .docx writer: units, escaping, run and paragraph properties.

Every text is XML-escaped and stripped of characters XML forbids; elements are written in schema order
(ECMA-376 Part 1, §17.3.1.26 pPr, §17.3.2.28 rPr), so that a validator finds nothing out of place.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

FONT = "Times New Roman"
CELL_PAD_TW = 108  # Word's default left/right cell margin
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LANG = '<w:lang w:val="vi-VN" w:eastAsia="vi-VN"/>'
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def t(text: str) -> str:
    """Element text, escaped."""
    return escape(_XML_BAD.sub("", text))


def a(text: str) -> str:
    """Attribute value, escaped (double quotes)."""
    return escape(_XML_BAD.sub("", text), {'"': "&quot;"})


def rfonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'


def rpr(
    bold: bool | None, italic: bool | None, underline: bool | None, size: float | None, color: str | None = None
) -> str:
    """Run properties in schema order (rFonts, b, i, color, sz, szCs, u, lang)."""
    out = [rfonts()]
    if bold is not None:
        out.append("<w:b/>" if bold else '<w:b w:val="0"/>')
    if italic is not None:
        out.append("<w:i/>" if italic else '<w:i w:val="0"/>')
    out.append(f'<w:color w:val="{a(color or "000000")}"/>')
    if size is not None:
        hp = round(size * 2)
        out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if underline is not None:
        out.append('<w:u w:val="single"/>' if underline else '<w:u w:val="none"/>')
    out.append(LANG)
    return "<w:rPr>" + "".join(out) + "</w:rPr>"


def spacing(before: float | None, after: float | None, line: float | None, exact_tw: int | None = None) -> str:
    attrs = []
    if before is not None:
        attrs.append(f'w:before="{round(before * 20)}"')
    if after is not None:
        attrs.append(f'w:after="{round(after * 20)}"')
    if exact_tw is not None:
        attrs.append(f'w:line="{exact_tw}" w:lineRule="exact"')
    elif line is not None:
        attrs.append(f'w:line="{round(line * 240)}" w:lineRule="auto"')
    return f"<w:spacing {' '.join(attrs)}/>" if attrs else ""


def ind(left: float | None, right: float | None, first: float | None) -> str:
    attrs = []
    if left is not None:
        attrs.append(f'w:left="{twips(left)}"')
    if right is not None:
        attrs.append(f'w:right="{twips(right)}"')
    if first is not None:
        attrs.append(f'w:firstLine="{twips(first)}"' if first >= 0 else f'w:hanging="{twips(-first)}"')
    return f"<w:ind {' '.join(attrs)}/>" if attrs else ""

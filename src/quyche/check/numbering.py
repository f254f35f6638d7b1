"""Word's automatic numbering (ECMA-376 Part 1, §17.9): the label a paragraph shows ("1.", "a)", "Điều 3.")
when it is numbered by ``w:numPr`` rather than typed. The checker puts the label in front of the paragraph's
text, as the reader of the page sees it, so that the numbering rules (Điều, khoản, điểm in order, their marks)
judge a document typed with Word's numbering exactly as one typed by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .package import Package, w
from .styles import StyleSheet, attr_int

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, mark in _ROMAN:
        while n >= value:
            out += mark
            n -= value
    return out


def _letters(n: int) -> str:
    """Word's letters: a … z, then aa … zz (no "đ": a Word list printed "d), e)" is one a clerk must fix)."""
    return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)


def number_text(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (ST_NumberFormat); a format quyche does not know: decimal."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """The numbering definitions of one document and the counters of its lists as the text is read."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)

    @classmethod
    def read(cls, pkg: Package, styles: StyleSheet) -> Numbering:
        out = cls()
        part = pkg.target(pkg.main, "numbering")
        root = pkg.part(part) if part else None
        if root is not None:
            abstract = {a.get(w("abstractNumId"), ""): _levels(a) for a in root.iter(w("abstractNum"))}
            for num in root.iter(w("num")):
                ref = num.find(w("abstractNumId"))
                levels = dict(abstract.get(ref.get(w("val"), "") if ref is not None else "", {}))
                for over in num.iter(w("lvlOverride")):
                    ilvl = attr_int(over, "ilvl")
                    lvl = over.find(w("lvl"))
                    base = _levels_of([lvl])[0] if lvl is not None else levels.get(ilvl, _Level())
                    start = over.find(w("startOverride"))
                    if start is not None:
                        base = _Level(base.fmt, base.text, attr_int(start, "val", 1))
                    levels[ilvl] = base
                out.levels[num.get(w("numId"), "")] = levels
        for sid, st in styles.styles.items():  # a paragraph style may carry the numbering ("Khoản" in a template)
            found = _num_pr(st.find(w("pPr")))
            if found:
                out.style_num[sid] = found
        return out

    def label(self, p: etree._Element, style: str | None) -> str:
        """The label Word prints before ``p`` (counting it), or "" for a paragraph that is not numbered."""
        found = _num_pr(p.find(w("pPr")))
        if found is None and style:
            found = self.style_num.get(style)
        if not found or found[0] in ("", "0") or found[0] not in self.levels:
            return ""
        num, ilvl = found
        levels = self.levels[num]
        level = levels.get(ilvl)
        if level is None:
            return ""
        counts = self.counters.setdefault(num, {})
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a higher level restarts the levels below it
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                lv = levels.get(k, _Level())
                value = counts.get(k, lv.start)
                text = text.replace(f"%{k + 1}", number_text(value, lv.fmt))
        return text


def _num_pr(ppr: etree._Element | None) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num_pr = ppr.find(w("numPr"))
    if num_pr is None:
        return None
    num = num_pr.find(w("numId"))
    return (num.get(w("val"), "") if num is not None else "", attr_int(num_pr.find(w("ilvl")), "val"))


def _levels(abstract: etree._Element) -> dict[int, _Level]:
    lvls = abstract.findall(w("lvl"))
    return dict(zip((attr_int(lvl, "ilvl") for lvl in lvls), _levels_of(lvls), strict=True))


def _levels_of(lvls: list[etree._Element]) -> list[_Level]:
    out = []
    for lvl in lvls:
        fmt, text, start = lvl.find(w("numFmt")), lvl.find(w("lvlText")), lvl.find(w("start"))
        out.append(
            _Level(
                fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
                text.get(w("val"), "") if text is not None else "",
                attr_int(start, "val", 1) if start is not None else 1,
            )
        )
    return out

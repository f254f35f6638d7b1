"""Rules on the body paragraphs of a .docx (ND30-PL1 §II.6.e): justified, a first-line indent of 1–1.27 cm, at
least 6 pt between paragraphs, single to 1.5 line spacing (``body.align``, ``body.first_line_indent_mm``,
``body.space_before_pt``, ``body.line_spacing``). Running text only: headings in capitals, centred titles, the
"Kính gửi" block and table cells keep their own layout; the space between paragraphs is judged between two
paragraphs of more than one line (the one-line items of a list may stand closer). A PDF has no paragraphs to
read these from."""

from __future__ import annotations

from typing import Any

from lxml import etree

from .context import Context
from .detect import is_caps
from .model import Line
from .package import w
from .rules_page import fmt
from .styles import attr_int

TW_PER_MM = 1440 / 25.4
PT_MM = 25.4 / 72
RUNNING = ("doan", "khoan", "diem", "can_cu", "can_cu_de_nghi", "dieu")
_ALIGN = {"both": "justify", "distribute": "justify", "center": "center", "right": "right", "end": "right"}


def _ind_mm(styles: Any, p: etree._Element) -> float:
    ind = styles.para_prop(p, "ind")
    if ind is None:
        return 0.0
    return (attr_int(ind, "firstLine") - attr_int(ind, "hanging")) / TW_PER_MM


def _spacing(styles: Any, p: etree._Element) -> tuple[float, float, float | None, str]:
    """Before and after (pt), the line value and its rule ("auto": 240ths of a line; "exact"/"atLeast": twips).
    Each attribute from the nearest layer that gives it."""
    direct = p.find(f"{w('pPr')}/{w('spacing')}")
    inherited = styles.para_prop_inherited(p, "spacing")
    layers = [x for x in (direct, *inherited) if x is not None]

    def get(name: str) -> str | None:
        return next((x.get(w(name)) for x in layers if x.get(w(name)) is not None), None)

    def num(value: str | None) -> float:
        try:
            return float(value) if value is not None else 0.0
        except ValueError:
            return 0.0

    line = get("line")
    return num(get("before")) / 20, num(get("after")) / 20, num(line) if line else None, get("lineRule") or "auto"


def _running(c: Context) -> list[Line]:
    out: list[Line] = []
    in_kinh_gui = False
    for ln in c.sheet.lines:
        if ln.zone != "body" or ln.ref is None:
            in_kinh_gui = False
            continue
        if ln.text.startswith("Kính gửi"):
            in_kinh_gui = True
            continue
        if in_kinh_gui and ln.text.startswith(("-", "–", "+")):
            continue
        in_kinh_gui = False
        if ln.role in RUNNING and not is_caps(ln.text):
            out.append(ln)
    return out


def _settings(c: Context) -> dict[str, Any]:
    """The profile's body rules, read once per document (not once per paragraph)."""
    out: dict[str, Any] = {"align": c.has("body.align")}
    if c.has("body.first_line_indent_mm"):
        rule = c.profile.rule("body.first_line_indent_mm")
        choices = [float(x) for x in (rule.choices or [rule.value])]
        out["indent"] = (min(choices), max(choices), float(c.profile.get("body.first_line_indent_mm")))
    if c.has("body.space_before_pt"):
        rng = c.profile.rule("body.space_before_pt").range or [6]
        out["space"] = (float(rng[0]), float(c.profile.get("body.space_before_pt")))
    if c.has("body.line_spacing"):
        rng = c.profile.rule("body.line_spacing").range or (1.0, 1.5)
        out["line"] = (float(rng[0]), float(rng[1]), float(c.profile.get("body.line_spacing")))
    return out


def check_layout(c: Context) -> None:
    if c.sheet.fmt != "docx" or c.sheet.styles is None:
        return
    styles = c.sheet.styles
    want = _settings(c)
    running = _running(c)
    prev_after: dict[int, float] = {}
    val = w("val")
    for i, ln in enumerate(running):
        p = ln.ref
        jc = styles.para_prop(p, "jc")
        align = _ALIGN.get(jc.get(val, "left") if jc is not None else "left", "left")
        before, after, line, rule = _spacing(styles, p)
        prev_after[id(p)] = after
        if align == "center":
            continue  # a centred line is a title of its own (the chương's name, "QUYẾT ĐỊNH:")
        if want["align"] and align != "justify" and ln.role != "dieu" and _wraps(ln):
            c.find("body.align", "Đoạn văn phải căn đều hai lề.", ln, fix="căn đều hai lề", align="both")
        if "indent" in want:
            lo, hi, default = want["indent"]
            indent = _ind_mm(styles, p)
            if not lo - 0.3 <= indent <= hi + 0.3:
                c.find(
                    "body.first_line_indent_mm",
                    f"Thụt đầu dòng {fmt(round(indent, 1))} mm, phải từ {fmt(lo)} đến {fmt(hi)} mm.",
                    ln,
                    fix=f"thụt đầu dòng {fmt(default)} mm",
                    indent_mm=default,
                )
        prev = running[i - 1] if i else None
        if (
            "space" in want
            and prev is not None
            and prev.ref.getnext() is p
            and _wraps(prev)
            and _wraps(ln)  # two paragraphs of running text (one-line items of a list may stand closer)
        ):
            lo, default = want["space"]
            gap = prev_after.get(id(prev.ref), 0.0) + before
            if gap < lo - 0.5:
                c.find(
                    "body.space_before_pt",
                    f"Khoảng cách giữa hai đoạn {fmt(round(gap, 1))} pt, tối thiểu {fmt(lo)} pt.",
                    ln,
                    fix=f"cách đoạn trên {fmt(default)} pt",
                    before_pt=default - prev_after.get(id(prev.ref), 0.0),
                )
        if "line" in want and line is not None:
            _line_spacing(c, ln, line, rule, want["line"])


def _wraps(ln: Line) -> bool:
    """Longer than one line (a short line looks the same left-aligned or justified)."""
    size = ln.size or 14.0
    return len(ln.text) * size * PT_MM * 0.45 > (ln.avail_mm or 165.0)


def _line_spacing(c: Context, ln: Line, line: float, rule: str, want: tuple[float, float, float]) -> None:
    lo, hi, default = want
    if rule == "auto":
        multiple = line / 240
    else:  # exact or at least, in twips: against single spacing of the face (≈ 1.15 × the size for Times)
        multiple = (line / 20) / (1.15 * (ln.size or 14.0))
    if not lo - 0.02 <= multiple <= hi + 0.02:
        c.find(
            "body.line_spacing",
            f"Giãn dòng {fmt(round(multiple, 2))} dòng, phải từ {fmt(lo)} đến {fmt(hi)} dòng.",
            ln,
            fix=f"giãn dòng {fmt(default)} dòng",
            line_240=round(default * 240),
        )

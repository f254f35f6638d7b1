"""``--sua``: the fixes that cannot change what a document says — fonts on all four slots, sizes, paper and
margins, date padding, the motto's underscores or underline replaced by a drawn line as long as the text
(from font metrics), prefix punctuation ("TM" → "TM."), the Nơi nhận label's style, the page number off
page 1. Everything else is left for a person. The result is a new package (the caller writes it to a new
file); every part that needs no fix is copied byte for byte."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from ..profile import load_profile
from . import CheckResult
from .model import Finding
from .package import Package, w
from .rules_text import fix_date
from .xmledit import PPR_ORDER, SECT_ORDER, child, props, set_para, set_rpr, set_run, text_runs

TW_PER_MM = 1440 / 25.4


def apply_fixes(result: CheckResult) -> tuple[bytes, list[str]]:
    """The fixed package and one line per fix applied."""
    sheet = result.sheet
    assert sheet is not None and sheet.package is not None and result.ident is not None
    pkg: Package = sheet.package
    profile = load_profile(result.ident.profile)
    applied: list[str] = []
    fonts_done = False
    for f in result.findings:
        if not f.fix:
            continue
        if f.rule == "font.family":
            if not fonts_done:
                _fonts(pkg, str(profile.get("font.family")))
                fonts_done = True
                applied.append(f"font.family: đặt {profile.get('font.family')} cho cả bốn ô phông trên mọi đoạn chữ")
            continue
        handler = _handler(f.rule)
        if handler is None:
            continue
        handler(pkg, f)
        where = f"{f.where}: " if f.where else ""
        applied.append(f"{where}[{f.rule}] {f.fix}")
    pkg.dirty.add(pkg.main)
    return pkg.serialize(), applied


def _handler(rule: str) -> Callable[[Package, Finding], None] | None:
    if rule.startswith(("sizes.", "size.")):
        return _size
    if rule.startswith("page.margin_mm."):
        return _margin
    if rule.startswith("noi_nhan.label."):
        return _label
    return {
        "page.paper_mm": _paper,
        "date.format": _date,
        "sign.prefix": _prefix,
        "header.tieu_ngu.rule": _rule_line,
        "header.tieu_de.rule": _rule_line,
        "page_number.first_page": _first_page,
        "body.align": _layout,
        "body.first_line_indent_mm": _layout,
        "body.space_before_pt": _layout,
        "body.line_spacing": _layout,
    }.get(rule)


def _layout(pkg: Package, f: Finding) -> None:
    """A body paragraph's own pPr (ND30-PL1 §II.6.e): justified, the indent, the space before, the spacing;
    the other attributes of the element are kept."""
    ppr = props(f.line.ref, "pPr")
    if "align" in f.data:
        child(ppr, "jc", PPR_ORDER).set(w("val"), f.data["align"])
    if "indent_mm" in f.data:
        ind = child(ppr, "ind", PPR_ORDER)
        ind.attrib.pop(w("hanging"), None)
        ind.set(w("firstLine"), str(round(f.data["indent_mm"] * TW_PER_MM)))
    if "before_pt" in f.data:
        child(ppr, "spacing", PPR_ORDER).set(w("before"), str(max(round(f.data["before_pt"] * 20), 0)))
    if "line_240" in f.data:
        spacing = child(ppr, "spacing", PPR_ORDER)
        spacing.set(w("line"), str(f.data["line_240"]))
        spacing.set(w("lineRule"), "auto")


def _fonts(pkg: Package, family: str) -> None:
    def fix(rpr: etree._Element) -> None:
        set_rpr(rpr, "rFonts", ascii=family, hAnsi=family, eastAsia=family, cs=family)

    doc = pkg.part(pkg.main)
    for r in doc.iter(w("r")):
        rpr = r.find(w("rPr"))
        if rpr is not None and rpr.find(w("rFonts")) is not None:
            fix(rpr)
    styles_name = pkg.target(pkg.main, "styles")
    styles = pkg.part(styles_name) if styles_name else None
    if styles is None:
        return
    for rpr in styles.iter(w("rPr")):
        if rpr.find(w("rFonts")) is not None:
            fix(rpr)
    dd = styles.find(w("docDefaults"))
    if dd is None:
        dd = etree.Element(w("docDefaults"))
        styles.insert(0, dd)
    rpr_default = dd.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.SubElement(dd, w("rPrDefault"))
        dd.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, w("rPr"))
    fix(rpr)
    pkg.dirty.add(styles_name)


def _size(pkg: Package, f: Finding) -> None:
    hp = str(round(float(f.data["size"]) * 2))
    for r in text_runs(f.line.ref):
        set_run(r, "sz", val=hp)
        set_run(r, "szCs", val=hp)


def _sections(pkg: Package) -> list[etree._Element]:
    return list(pkg.part(pkg.main).iter(w("sectPr")))


def _margin(pkg: Package, f: Finding) -> None:
    for sect in _sections(pkg):
        mar = child(sect, "pgMar", SECT_ORDER)
        mar.set(w(f.data["side"]), str(round(f.data["value"] * TW_PER_MM)))


def _paper(pkg: Package, f: Finding) -> None:
    for sect in _sections(pkg):
        sz = child(sect, "pgSz", SECT_ORDER)
        landscape = sz.get(w("orient")) == "landscape"
        sz.set(w("w"), "16838" if landscape else "11906")
        sz.set(w("h"), "11906" if landscape else "16838")


def _replace_text(p: etree._Element, new: str, transform: Callable[[str], str]) -> None:
    """Make the paragraph read ``new``: inside the one w:t where ``transform`` changes it when that gives the
    whole line, otherwise in the first text element (the line keeps its first run's formatting)."""
    ts = list(p.iter(w("t")))
    for t in ts:
        changed = transform(t.text or "")
        if (
            changed != (t.text or "")
            and "".join(changed if x is t else (x.text or "") for x in ts).strip() == new.strip()
        ):
            t.text = changed
            return
    if ts:
        ts[0].text = new
        for t in ts[1:]:
            t.text = ""


def _date(pkg: Package, f: Finding) -> None:
    _replace_text(f.line.ref, f.data["text"], fix_date)


def _prefix(pkg: Package, f: Finding) -> None:
    old, new = f.data["old"], f.data["new"]

    def transform(text: str) -> str:
        return re.sub(rf"^(\s*){re.escape(old)}(?=\s|$)", rf"\g<1>{new}", text, count=1)

    _replace_text(f.line.ref, transform(f.line.text), transform)


def _label(pkg: Package, f: Finding) -> None:
    tag = {"bold": "b", "italic": "i", "underline": "u"}[f.data["attr"]]
    on = f.data["value"]
    for r in text_runs(f.line.ref):
        if tag == "u":
            set_run(r, "u", val="single" if on else "none")
        else:
            set_run(r, tag, val="1" if on else "0")
            set_run(r, tag + "Cs", val="1" if on else "0")


def _rule_line(pkg: Package, f: Finding) -> None:
    """Underline off the text; the underscores paragraph (or a wrong line) becomes, or a new paragraph is
    inserted as, a 1-pt paragraph whose top border runs between indents that leave exactly the text's width
    (ND30-PL1 §II.1.b; the way render/docx.py draws it)."""
    anchor = f.data["anchor"]
    for r in text_runs(anchor.ref):
        rpr = r.find(w("rPr"))
        if (rpr is not None and rpr.find(w("u")) is not None) or anchor.underline is not False:
            set_run(r, "u", val="none")
    target = f.data.get("replace")
    if target is not None and target is not anchor:
        p = target.ref
        for el in list(p):
            if el.tag != w("pPr"):
                p.remove(el)
    else:
        p = etree.Element(w("p"))
        anchor.ref.addnext(p)
    avail = anchor.avail_mm or 0.0
    side = max((avail - float(f.data["width"])) / 2, 0)
    bdr = set_para(p, "pBdr")
    for side_tag in ("bottom",):
        old = p.find(f"{w('pPr')}/{w('pBdr')}/{w(side_tag)}")
        if old is not None:
            bdr.remove(old)
    top = etree.SubElement(bdr, w("top"))
    for k, v in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        top.set(w(k), v)
    spacing = set_para(p, "spacing")
    for k, v in (("before", "50"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(w(k), v)
    ind = set_para(p, "ind")
    ind.set(w("left"), str(round(side * TW_PER_MM)))
    ind.set(w("right"), str(round(side * TW_PER_MM)))
    jc = p.find(f"{w('pPr')}/{w('jc')}")
    if jc is not None:
        jc.set(w("val"), "center")


def _first_page(pkg: Package, f: Finding) -> None:
    for sect in _sections(pkg)[:1]:
        for ref in sect.findall(w("headerReference")):
            if ref.get(w("type")) == "first":
                sect.remove(ref)  # a first page of its own, with no header: no number on page 1
        child(sect, "titlePg", SECT_ORDER).attrib.clear()

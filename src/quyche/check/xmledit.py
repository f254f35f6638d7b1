"""Small WordprocessingML edits that keep the schema's element order (Word refuses a file whose rPr or pPr
children are out of order): set a run property, a paragraph property, a section property."""

from __future__ import annotations

from lxml import etree

from .package import w

RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath",
]  # fmt: skip
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip
SECT_ORDER = [
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
    "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
]  # fmt: skip


def child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """The child ``tag`` of ``parent``, created at its place in ``order`` if missing."""
    el = parent.find(w(tag))
    if el is not None:
        return el
    el = etree.Element(w(tag))
    rank = order.index(tag)
    for i, existing in enumerate(parent):
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


def props(owner: etree._Element, tag: str, first: bool = True) -> etree._Element:
    """The ``rPr`` of a run or the ``pPr`` of a paragraph, created as the first child if missing."""
    el = owner.find(w(tag))
    if el is None:
        el = etree.Element(w(tag))
        owner.insert(0, el)
    return el


def set_run(r: etree._Element, tag: str, **attrs: str) -> None:
    el = child(props(r, "rPr"), tag, RPR_ORDER)
    el.attrib.clear()
    for k, v in attrs.items():
        el.set(w(k), v)


def set_rpr(rpr: etree._Element, tag: str, **attrs: str) -> None:
    el = child(rpr, tag, RPR_ORDER)
    el.attrib.clear()
    for k, v in attrs.items():
        el.set(w(k), v)


def set_para(p: etree._Element, tag: str) -> etree._Element:
    el = child(props(p, "pPr"), tag, PPR_ORDER)
    el.attrib.clear()
    el[:] = []
    return el


def text_runs(p: etree._Element) -> list[etree._Element]:
    return [r for r in p.iter(w("r")) if any((t.text or "").strip() for t in r.iter(w("t")))]

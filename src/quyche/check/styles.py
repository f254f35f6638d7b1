"""Effective run and paragraph formatting of a .docx: direct formatting → character style → paragraph style
chain (basedOn) → document defaults, theme fonts resolved (ECMA-376 Part 1, §17.7.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from .package import Package, w

SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_SLOT = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_RPR, _PPR, _PSTYLE, _VAL = w("rPr"), w("pPr"), w("pStyle"), w("val")
_TAG: dict[str, str] = {}  # local name → Clark name, made once (w() in a hot loop is measurable)


def _w(tag: str) -> str:
    name = _TAG.get(tag)
    if name is None:
        name = _TAG[tag] = w(tag)
    return name


_MISSING = object()
WORD_DEFAULT_FONT = "Times New Roman"  # what Word uses when no font is named anywhere


@dataclass
class RunProps:
    size: float
    bold: bool
    italic: bool
    underline: bool
    fonts: dict[str, str]  # slot → font name ("" when only an empty theme font names it)


def _on(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    return el.get(_VAL, "true").lower() not in ("0", "false", "off", "none")


class StyleSheet:
    def __init__(self, pkg: Package) -> None:
        self.styles: dict[str, etree._Element] = {}
        self.default_para: str | None = None
        self.default_rpr: etree._Element | None = None
        self.default_ppr: etree._Element | None = None
        self.theme: dict[str, str] = {}
        styles_part = pkg.target(pkg.main, "styles")
        root = pkg.part(styles_part) if styles_part else None
        self.root = root
        if root is not None:
            for st in root.iter(w("style")):
                sid = st.get(w("styleId"))
                if sid:
                    self.styles[sid] = st
                    if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true", "on"):
                        self.default_para = sid
            dd = root.find(w("docDefaults"))
            if dd is not None:
                self.default_rpr = dd.find(f"{w('rPrDefault')}/{w('rPr')}")
                self.default_ppr = dd.find(f"{w('pPrDefault')}/{w('pPr')}")
        theme_part = pkg.target(pkg.main, "theme")
        theme = pkg.part(theme_part) if theme_part else None
        if theme is not None:
            for which, prefix in (("minorFont", "minor"), ("majorFont", "major")):
                font = theme.find(f".//{{{_A}}}{which}")
                if font is None:
                    continue
                for tag, suffix in (("latin", "HAnsi"), ("ea", "EastAsia"), ("cs", "Bidi")):
                    el = font.find(f"{{{_A}}}{tag}")
                    self.theme[prefix + suffix] = el.get("typeface", "") if el is not None else ""
                self.theme[prefix + "Ascii"] = self.theme.get(prefix + "HAnsi", "")
        self._cache: dict[tuple[str | None, str | None], list[etree._Element]] = {}
        self._runs: dict[tuple[str | None, bytes], RunProps] = {}
        self._props: dict[tuple[str | None, str], etree._Element | None] = {}
        self._inherited: dict[tuple[str | None, str], list[etree._Element]] = {}
        self._pstyles: dict[etree._Element, str | None] = {}

    def chain(self, sid: str | None, key: str) -> list[etree._Element]:
        """The property elements (``rPr`` or ``pPr``) of a style and its ancestors, nearest first."""
        ck = (sid, key)
        if ck in self._cache:
            return self._cache[ck]
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            st = self.styles[sid]
            el = st.find(w(key))
            if el is not None:
                out.append(el)
            based = st.find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else None
        self._cache[ck] = out
        return out

    def para_style(self, p: etree._Element) -> str | None:
        hit = self._pstyles.get(p, _MISSING)
        if hit is _MISSING:
            ppr = p.find(_PPR)
            ps = ppr.find(_PSTYLE) if ppr is not None else None
            hit = self._pstyles[p] = ps.get(_VAL) if ps is not None else self.default_para
        return hit  # type: ignore[return-value]

    def run_props(self, p_style: str | None, r: etree._Element) -> RunProps:
        """Effective properties of a run; runs with the same direct properties in the same paragraph style
        share one answer (a document repeats a few dozen combinations)."""
        rpr = r.find(_RPR)
        key = (p_style, etree.tostring(rpr) if rpr is not None else b"")
        hit = self._runs.get(key)
        if hit is None:
            hit = self._resolve(p_style, rpr)
            self._runs[key] = hit
        return hit

    def _resolve(self, p_style: str | None, rpr: etree._Element | None) -> RunProps:
        layers: list[etree._Element] = []
        if rpr is not None:
            layers.append(rpr)
            rs = rpr.find(w("rStyle"))
            if rs is not None:
                layers.extend(self.chain(rs.get(w("val")), "rPr"))
        layers.extend(self.chain(p_style, "rPr"))
        if self.default_rpr is not None:
            layers.append(self.default_rpr)
        return RunProps(
            size=self._size(layers),
            bold=bool(self._first(layers, "b")),
            italic=bool(self._first(layers, "i")),
            underline=self._underline(layers),
            fonts={slot: self._font(layers, slot) for slot in SLOTS},
        )

    def para_prop(self, p: etree._Element, tag: str) -> etree._Element | None:
        """The nearest ``pPr`` child ``tag`` (direct, style chain, defaults)."""
        ppr = p.find(_PPR)
        if ppr is not None:
            el = ppr.find(_w(tag))
            if el is not None:
                return el
        style = self.para_style(p)
        key = (style, tag)
        if key not in self._props:
            layers = list(self.chain(style, "pPr"))
            if self.default_ppr is not None:
                layers.append(self.default_ppr)
            self._props[key] = next((el for lay in layers if (el := lay.find(_w(tag))) is not None), None)
        return self._props[key]

    def para_prop_inherited(self, p: etree._Element, tag: str) -> list[etree._Element]:
        """Every ``pPr`` child ``tag`` below the direct one: the style chain's, then the defaults' (their
        attributes combine, nearest first)."""
        key = (self.para_style(p), tag)
        hit = self._inherited.get(key)
        if hit is None:
            layers = list(self.chain(key[0], "pPr"))
            if self.default_ppr is not None:
                layers.append(self.default_ppr)
            hit = self._inherited[key] = [el for lay in layers if (el := lay.find(_w(tag))) is not None]
        return hit

    @staticmethod
    def _first(layers: list[etree._Element], tag: str) -> bool | None:
        for layer in layers:
            value = _on(layer.find(_w(tag)))
            if value is not None:
                return value
        return None

    @staticmethod
    def _size(layers: list[etree._Element]) -> float:
        for layer in layers:
            el = layer.find(_w("sz"))
            if el is not None:
                try:
                    return int(el.get(w("val"), "20")) / 2
                except ValueError:
                    continue
        return 10.0  # ECMA-376: 10 pt when no size is given anywhere

    @staticmethod
    def _underline(layers: list[etree._Element]) -> bool:
        for layer in layers:
            el = layer.find(_w("u"))
            if el is not None:
                return el.get(w("val"), "single") not in ("none", "0", "false")
        return False

    def _font(self, layers: list[etree._Element], slot: str) -> str:
        for layer in layers:
            rf = layer.find(_w("rFonts"))
            if rf is None:
                continue
            theme = rf.get(w(_THEME_SLOT[slot]))
            if theme:  # a theme font wins over the explicit name on the same element
                return self.theme.get(theme, "")
            name = rf.get(w(slot))
            if name:
                return name
        return WORD_DEFAULT_FONT if slot in ("ascii", "hAnsi") else ""


def attr_int(el: Any, name: str, default: int = 0) -> int:
    if el is None:
        return default
    value = el.get(w(name))
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default

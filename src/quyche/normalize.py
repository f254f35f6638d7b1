"""Stage 3 — normalize: NFC, whitespace, legacy encodings, dates, numbers, upper-casing.

Pure functions over text (no I/O). ``normalize_tree`` cleans every string of a loaded file and
reports what it changed or could not repair, located through the source map.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .errors import Diagnostic, DiagnosticList
from .flow_lists import flow_fragments
from .legacy import detect_legacy, stray_legacy
from .source import PathKey, SourceMap

# Zero-width and bidi formatting characters: invisible, never wanted in an official text (the-thuc §6.1).
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """NFC, no invisible or control characters, single spaces; newlines kept only if ``multiline``."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip("\n")
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def control_chars(text: str) -> list[str]:
    return _CONTROL.findall(text)


def upper_vi(text: str) -> str:
    """Vietnamese upper case: real capitals after NFC (đ→Đ, ủ→Ủ, ư→Ư), never w:caps (the-thuc §6.3)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).upper())


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- dates and numbers (NĐ 30/2020, Phụ lục I, II.4.b; the-thuc §1.5) --------------------------------


def format_ngay(d: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2021": zero for days 1–9 and for months 1 and 2 only."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def format_dia_danh_ngay(dia_danh: str, d: dt.date) -> str:
    return f"{dia_danh}, {format_ngay(d)}"


def format_so(n: int, width: int = 2) -> str:
    """Document numbers below 10 take a leading zero (NĐ 30/2020, Phụ lục I, II.3.a)."""
    return str(n).zfill(width)


_WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def weekday_vi(d: dt.date) -> str:
    """Weekday as ND30-PL2 §V writes it ("thứ Hai" … "Chủ nhật"), computed, never typed."""
    return _WEEKDAYS[d.weekday()]


# Only a date typed as text needs these: compiled on first use (re's cache), not at every start.
_TYPED_DATE = r"^(?:(?P<place>[^,]+),\s*)?ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*$"
_SLASH_DATE = r"^(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})$"


def parse_typed_date(text: str) -> dt.date | None:
    """Read a date a clerk typed ("20/10/2016", "Lâm Đồng, ngày 20 tháng 10 năm 2016"); None if not one."""
    text = clean_text(text)
    m = re.match(_TYPED_DATE, text, re.IGNORECASE) or re.match(_SLASH_DATE, text)
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


# --- numbering of articles, clauses and points -------------------------------------------------------

# NĐ 30 appendices run a) b) c) d) đ) e) g); beyond g) practice (the-thuc §1.3, §8 item 16).
DIEM_ALPHABET = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def diem_label(index: int, alphabet: list[str] | None = None) -> str:
    """The label of the index-th point (0-based): a, b, …, đ, e, g …; doubled past the alphabet (aa, bb …)."""
    letters = alphabet or DIEM_ALPHABET
    n = len(letters)
    return letters[index % n] * (index // n + 1)


def roman(n: int) -> str:
    if n <= 0:
        raise ValueError(n)
    values = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = []
    for v, s in values:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


# --- tone-mark placement style (the-thuc §6.4): "hòa/ủy" vs "hoà/uỷ" --------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OPEN_NUCLEI = {("o", "a"), ("o", "e"), ("u", "y")}
_WORD = re.compile(r"\w+", re.UNICODE)


def apply_tone_style(text: str, style: str) -> str:
    """Move the tone mark of open "oa", "oe", "uy" syllables: style "hoa" → "hòa", "uỷ"→"ủy" ("cu");
    style "moi" → "hoà", "uỷ". Other syllables are untouched ("quý", "hoàn", "thuyền")."""
    if style not in ("cu", "moi"):
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        end = _open_end(word[-1])
        if end is False:
            return word
        decomposed = unicodedata.normalize("NFD", word)
        return _retone(word, decomposed, style) if end or _open_tail(decomposed) else word

    return _WORD.sub(fix, text)


@lru_cache(maxsize=1024)
def _open_end(ch: str) -> bool | None:
    """``_open_tail`` of every word ending in ``ch`` when ``ch`` alone decides it — a starter decomposing to a
    starter and its marks ends the word's decomposition unchanged — else None (the word is decomposed)."""
    decomposed = unicodedata.normalize("NFD", ch)
    if unicodedata.combining(ch) or unicodedata.combining(decomposed[0]):
        return None
    return _open_tail(decomposed)


def _open_tail(decomposed: str) -> bool:
    """Whether a word (NFD) ends in a, e or y with at most a tone mark after it: only such a word can end in
    an open nucleus, so the others (most words) are never taken apart (≈1 ms a document)."""
    last = decomposed[-2] if decomposed[-1] in _TONES and len(decomposed) > 1 else decomposed[-1]
    return last.lower() in ("a", "e", "y")


def _retone(word: str, decomposed: str, style: str) -> str:
    letters: list[list[str]] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    if len(letters) < 2:
        return word
    a, b = letters[-2], letters[-1]
    pair = (a[0].lower(), b[0].lower())
    if pair not in _OPEN_NUCLEI:
        return word
    if len(letters) >= 3 and letters[-3][0].lower() == "q" and pair == ("u", "y"):
        return word  # "quý": the u belongs to "qu"
    if any(m not in _TONES for m in a[1:] + b[1:]):
        return word  # other diacritics (ô, ư, ă …): not one of these nuclei
    tone = [m for m in a[1:] + b[1:] if m in _TONES]
    if len(tone) != 1:
        return word
    a[1:] = [m for m in a[1:] if m not in _TONES]
    b[1:] = [m for m in b[1:] if m not in _TONES]
    (a if style == "cu" else b).append(tone[0])
    return unicodedata.normalize("NFC", "".join("".join(x) for x in letters))


# --- whole-tree cleaning ------------------------------------------------------------------------------

_MOTTO_DASH = re.compile(r"Độc lập\s*[–—-]\s*Tự do\s*[–—-]\s*Hạnh phúc")
MULTILINE_KEYS = {"noi_dung", "doan", "ghi_chu", "mo_dau", "ket_luan"}


def normalize_tree(data: Any, smap: SourceMap) -> tuple[Any, list[Diagnostic]]:
    """Clean every string of ``data``; report legacy encodings (error), control characters and a motto
    with dashes (warnings, repaired)."""
    diags = DiagnosticList()

    def walk(node: Any, path: PathKey) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, (*path, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, (*path, i)) for i, v in enumerate(node)]
        if isinstance(node, str):
            return clean_string(node, path)
        return node

    def clean_string(value: str, path: PathKey) -> str:
        loc = smap.locate(path)
        bad = control_chars(value)
        if bad:
            diags.add(Diagnostic.make("ky-tu-dieu-khien", loc, severity="warning", cp=ord(bad[0])))
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        cleaned = clean_text(value, multiline=key in MULTILINE_KEYS)
        legacy = detect_legacy(cleaned)
        if legacy:
            encoding, fixed = legacy
            sample = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
            repair = f'; có thể là "{fixed[:60]}"' if fixed else ""
            diags.add(Diagnostic.make("ma-cu", loc, encoding=encoding, sample=sample, repair=repair))
        else:
            diags.extend(stray_diagnostics(value, cleaned, path, smap))
        m = _MOTTO_DASH.search(cleaned)
        if m and m.group(0) != "Độc lập - Tự do - Hạnh phúc":
            dash = next((c for c in m.group(0) if c in "–—"), "-")
            diags.add(
                Diagnostic.make(
                    "tieu-ngu-gach-ngang",
                    loc,
                    severity="warning",
                    dash=dash,
                    rule="header.tieu_ngu.text (ND30-PL1 §II.1.b)",
                )
            )
            cleaned = _MOTTO_DASH.sub("Độc lập - Tự do - Hạnh phúc", cleaned)
        return cleaned

    cleaned = walk(data, ())
    diags.extend(flow_fragments(cleaned, smap))  # "[…, Các sở, ban, ngành tỉnh]" split by YAML
    return cleaned, diags.items


def stray_diagnostics(raw: str, cleaned: str, path: PathKey, smap: SourceMap) -> list[Diagnostic]:
    """One warning per legacy character left in Unicode text, at its own column, naming the character,
    the letter it likely stands for and the repaired word (legacy.stray_legacy)."""
    out = []
    for stray in stray_legacy(cleaned):
        nth = cleaned[: stray.index].count(stray.char)  # the same occurrence in the text as written
        at = -1
        for _ in range(nth + 1):
            at = raw.find(stray.char, at + 1)
        (encoding, letter, fixed), *others = stray.readings
        other = "".join(f'; nếu gõ bằng {e}: "{w}"' for e, _, w in others)
        out.append(
            Diagnostic.make(
                "ky-tu-ma-cu",
                smap.locate_in_text(path, max(at, 0)),
                severity="warning",
                char=stray.char,
                word=stray.word,
                letter=letter,
                encoding=encoding,
                fixed=fixed,
                other=other,
            )
        )
    return out


def iter_strings(data: Any) -> Iterable[str]:
    if isinstance(data, dict):
        for v in data.values():
            yield from iter_strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from iter_strings(v)
    elif isinstance(data, str):
        yield data

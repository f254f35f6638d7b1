"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI) typed or pasted into Unicode text (the-thuc §6.1).

Two findings: a whole text typed in a legacy encoding ("Uû ban nh©n d©n", detect_legacy), and a single
legacy character mixed into otherwise Unicode text ("tỉnh Qu¶ng Trị", stray_legacy) — what is left when a
clerk copies one word from an old .doc into a Unicode document. Pure functions over text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# TCVN3 (ABC) bytes shown as Latin-1: the lower-case table of .VnTime and its capitals Ă Â Ê Ô Ơ Ư Đ.
TCVN3 = dict(
    zip(
        "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ¡¢£¤¥¦§",
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂÊÔƠƯĐ",
        strict=True,
    )
)
# VNI: a base letter followed by a mark byte (tone, circumflex, breve, or both), and a few whole letters.
_MARKS = {
    "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323", "â": "\u0302", "ê": "\u0306",
    "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303", "ä": "\u0302\u0323",
    "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}  # fmt: skip
VNI_MARKS = {**_MARKS, **{k.upper(): v for k, v in _MARKS.items()}}
VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
VNI_LETTERS |= {k.upper(): v.upper() for k, v in VNI_LETTERS.items()}

# Characters that appear in TCVN3/VNI text but never in Vietnamese Unicode text.
VI_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")  # Vietnamese letters that are also Latin-1
_TCVN3_ONLY = set("©ª«¬®µ¶·¸¹»¼½¾ÆÇÈËÌÎÏÐÑÒÓÖ×ØÜÞßåæçëîïñö÷øûüþ¡¢£¤¥¦§") - VI_LATIN1
_VNI_ONLY = set("äåëïöøûñæçÄÅËÏÖØÛÑÆÇ")  # VNI's tone/diacritic bytes that Vietnamese never uses
_LEGACY = _TCVN3_ONLY | _VNI_ONLY
_TCVN3_SYMBOLS = set("©ª«¬®µ¶·¸¹»¼½¾¨¡¢£¤¥¦§")  # only TCVN3 maps letters onto these
# A legacy character alone in Unicode text: any TCVN3 or VNI byte that is not itself a Vietnamese letter
# (the soft hyphen, TCVN3 "ư", is removed as invisible before this runs).
STRAY = (set(TCVN3) | _VNI_ONLY) - VI_LATIN1 - {"\xad"}
# Letters that only Unicode Vietnamese text has (legacy text shown as Latin-1 never contains them).
_UNICODE_VI = set("ăđơưĂĐƠƯĩũĨŨ")
_VOWELS = set("aeiouyAEIOUY")


def detect_legacy(text: str) -> tuple[str, str | None] | None:
    """("TCVN3", repaired text) or ("VNI", None) when the text looks typed in a legacy 8-bit encoding:
    two or more characters that Vietnamese Unicode text never contains, and no letter only Unicode has."""
    if _LEGACY.isdisjoint(text):  # (the common case, decided in C: every string of every document is asked)
        return None
    if sum(ch in _LEGACY for ch in text) < 2 or is_unicode_vietnamese(text):
        return None
    if any(ch in _TCVN3_SYMBOLS for ch in text):
        return "TCVN3", "".join(TCVN3.get(ch, ch) for ch in text)
    return "VNI", None


def is_unicode_vietnamese(text: str) -> bool:
    return any(ch in _UNICODE_VI or "\u1ea0" <= ch <= "\u1ef9" for ch in text)


@dataclass(frozen=True)
class Stray:
    """One legacy character in Unicode text: where, the word it spoils, and the readings (encoding,
    intended letter, repaired word), the likelier first."""

    index: int
    char: str
    word: str
    readings: tuple[tuple[str, str, str], ...]


def stray_legacy(text: str) -> list[Stray]:
    """Legacy characters inside words of a text (a letter on at least one side); paired guillemets
    « » are quotation marks, not TCVN3 "ô"/"ằ"."""
    if STRAY.isdisjoint(text):  # (the common case, decided in C: every string of every document is asked)
        return []
    out: list[Stray] = []
    for i, ch in enumerate(text):
        if ch not in STRAY or not _touches_letter(text, i):
            continue
        if ch in "«»" and ("»" if ch == "«" else "«") in text:
            continue
        start, end = _word(text, i)
        word = text[start:end]
        readings = _readings(text, i, start, end)
        if readings:
            out.append(Stray(i, ch, word, tuple(readings)))
    return out


def _touches_letter(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())


def _word(text: str, i: int) -> tuple[int, int]:
    start, end = i, i + 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _readings(text: str, i: int, start: int, end: int) -> list[tuple[str, str, str]]:
    ch, prev = text[i], text[i - 1] if i > start else ""
    vni: tuple[str, str, str] | None = None
    if ch in VNI_MARKS and prev in _VOWELS:  # "Quaûng": the mark belongs to the vowel before it
        letter = unicodedata.normalize("NFC", prev + VNI_MARKS[ch])
        vni = ("VNI", letter, text[start : i - 1] + letter + text[i + 1 : end])
    elif ch in VNI_LETTERS and ch in _VNI_ONLY:
        letter = VNI_LETTERS[ch]
        vni = ("VNI", letter, text[start:i] + letter + text[i + 1 : end])
    tcvn3 = None
    if ch in TCVN3:
        tcvn3 = ("TCVN3", TCVN3[ch], text[start:i] + TCVN3[ch] + text[i + 1 : end])
    ordered = [vni, tcvn3] if prev in _VOWELS else [tcvn3, vni]
    return [r for r in ordered if r is not None]

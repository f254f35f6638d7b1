"""Text utilities: NFC, upper-casing, dates, numbers, point letters, tone style, legacy encodings."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from quyche.normalize import (
    DIEM_ALPHABET,
    _open_end,
    _open_tail,
    _retone,
    apply_tone_style,
    clean_text,
    detect_legacy,
    diem_label,
    format_dia_danh_ngay,
    format_ngay,
    format_so,
    parse_typed_date,
    roman,
    upper_vi,
    weekday_vi,
)

VI_LETTERS = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
vi_text = st.text(alphabet=st.sampled_from(list(VI_LETTERS + VI_LETTERS.upper() + " ,.-")), max_size=60)


@given(vi_text)
def test_clean_text_is_nfc_and_idempotent(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    cleaned = clean_text(decomposed)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == clean_text(cleaned)
    assert cleaned == clean_text(text)


@given(st.text(max_size=80))
def test_clean_text_removes_invisible_and_control(text: str) -> None:
    cleaned = clean_text(text + "\u200b\u202e\x0b\x00")
    assert not any(ch in cleaned for ch in "\u200b\u202e\x0b\x00\ufeff")
    assert "  " not in cleaned and cleaned == cleaned.strip()


@given(vi_text)
def test_upper_vi_is_real_capitals(text: str) -> None:
    up = upper_vi(unicodedata.normalize("NFD", text))
    assert unicodedata.is_normalized("NFC", up)
    assert up == up.upper()
    assert len(up) == len(unicodedata.normalize("NFC", text))


def test_upper_vi_vietnamese_letters() -> None:
    assert upper_vi("đảng ủy ưu tiên") == "ĐẢNG ỦY ƯU TIÊN"
    assert upper_vi("ủy ban nhân dân tỉnh lâm đồng") == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


@given(st.dates(min_value=dt.date(1945, 9, 2), max_value=dt.date(2100, 12, 31)))
def test_date_padding_rule(d: dt.date) -> None:
    text = format_ngay(d)
    day, month, year = text.split()[1], text.split()[3], text.split()[5]
    assert day == f"{d.day:02d}"  # days 1–9 take a zero (NĐ 30/2020, Phụ lục I, II.4.b)
    assert month == (f"{d.month:02d}" if d.month <= 2 else str(d.month))  # months 1 and 2 only
    assert year == str(d.year)
    assert parse_typed_date(text) == d


def test_date_examples_from_the_decree() -> None:
    assert format_dia_danh_ngay("Hà Nội", dt.date(2020, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert format_ngay(dt.date(2019, 6, 29)) == "ngày 29 tháng 6 năm 2019"
    assert format_ngay(dt.date(2023, 2, 23)) == "ngày 23 tháng 02 năm 2023"


def test_typed_dates() -> None:
    assert parse_typed_date("20/10/2016") == dt.date(2016, 10, 20)
    assert parse_typed_date("Lâm Đồng, ngày 20 tháng 10 năm 2016") == dt.date(2016, 10, 20)
    assert parse_typed_date("30/02/2025") is None
    assert parse_typed_date("hôm qua") is None


@given(st.integers(min_value=1, max_value=100_000))
def test_number_padding(n: int) -> None:
    s = format_so(n)
    assert int(s) == n and (len(s) == 2 if n < 10 else s == str(n))


def test_diem_alphabet_skips_f_j_w_z_and_includes_d_stroke() -> None:
    labels = [diem_label(i) for i in range(len(DIEM_ALPHABET))]
    assert labels[:7] == ["a", "b", "c", "d", "đ", "e", "g"]
    assert not {"f", "j", "w", "z"} & set(labels)
    assert diem_label(len(DIEM_ALPHABET)) == "aa"


@given(st.integers(min_value=1, max_value=3999))
def test_roman_roundtrip(n: int) -> None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    r = roman(n)
    total = sum(-values[a] if values[a] < values[b] else values[a] for a, b in zip(r, r[1:] + "I", strict=True))
    assert total == n


def test_weekday() -> None:
    assert weekday_vi(dt.date(2022, 7, 21)) == "thứ Năm"  # the Thanh Hóa notice
    assert weekday_vi(dt.date(2018, 2, 6)) == "thứ Ba"
    assert weekday_vi(dt.date(2026, 11, 22)) == "Chủ nhật"


def test_tone_style() -> None:
    assert apply_tone_style("Hoà Bình, Uỷ ban, khoẻ", "cu") == "Hòa Bình, Ủy ban, khỏe"
    assert apply_tone_style("Hòa Bình, Ủy ban, khỏe", "moi") == "Hoà Bình, Uỷ ban, khoẻ"
    # untouched: "qu" + y, closed syllables, other diacritics
    for word in ("quý", "hoàn thành", "thuyền", "Thuận Hóa"[:5], "người"):
        assert apply_tone_style(word, "cu") == word


@given(vi_text, st.sampled_from(["cu", "moi"]))
def test_tone_style_is_idempotent_and_keeps_letters(text: str, style: str) -> None:
    once = apply_tone_style(text, style)
    assert apply_tone_style(once, style) == once
    strip = lambda s: "".join(c for c in unicodedata.normalize("NFD", s) if c not in "\u0300\u0301\u0303\u0309\u0323")  # noqa: E731
    assert strip(once) == strip(text)


# Words of Vietnamese letters, decomposed tone marks and other combining marks, in any order.
_MARKS = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b", "\u0331"]
_ANY_WORD = st.text(alphabet=st.sampled_from([*VI_LETTERS, *VI_LETTERS.upper(), *_MARKS]), min_size=1, max_size=8)


@settings(max_examples=2000)
@given(_ANY_WORD, st.sampled_from(["cu", "moi"]))
def test_tone_style_skips_only_words_it_would_keep(word: str, style: str) -> None:
    """The shortcut (a word not ending in a, e or y is never taken apart) never changes an answer."""
    decomposed = unicodedata.normalize("NFD", word)
    if not _open_tail(decomposed):
        assert _retone(word, decomposed, style) == word
    assert _open_end(word[-1]) in (None, _open_tail(decomposed))  # the last letter alone, when it decides


def test_legacy_detection() -> None:
    enc, fixed = detect_legacy("Uû ban nh©n d©n")
    assert enc == "TCVN3" and fixed == "Uỷ ban nhân dân"
    assert detect_legacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")[0] == "VNI"
    for ok in ("Ủy ban nhân dân tỉnh Lâm Đồng", "Café © 2020", "Độc lập - Tự do - Hạnh phúc"):
        assert detect_legacy(ok) is None


@given(vi_text)
def test_unicode_vietnamese_is_never_legacy(text: str) -> None:
    assert detect_legacy(unicodedata.normalize("NFC", text)) is None

"""Font metrics against the spec's computed widths; profiles as data (extends, overrides, citations)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quyche.measure import text_units, text_width_mm, wrap_lines
from quyche.profile import ProfileError, available_profiles, load_profile


@pytest.mark.parametrize(
    ("text", "size", "bold", "italic", "expected"),
    [  # the-thuc §1.4 "[Computed] Widths of fixed strings"
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False, 95.7),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False, 88.3),
        ("Độc lập - Tự do - Hạnh phúc", 14, True, False, 60.5),
        ("Độc lập - Tự do - Hạnh phúc", 13, True, False, 56.1),
        ("Thành phố Hồ Chí Minh, ngày 29 tháng 12 năm 2026", 14, False, True, 106.3),
        ("Hà Nội, ngày 05 tháng 01 năm 2021", 13, False, True, 67.0),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True, False, 72.9),
    ],
)
def test_widths_match_spec(text: str, size: float, bold: bool, italic: bool, expected: float) -> None:
    assert text_width_mm(text, size, bold=bold, italic=italic) == pytest.approx(expected, abs=0.06)


# Words as clerks type them, and as they should not: precomposed and decomposed Vietnamese, lone combining
# marks (a word may start with one), no-break spaces, characters the metrics lack.
_CHARS = st.sampled_from(
    [*"aăâeêioôơuưyAĐđ-,.1", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u00a0", "ệ", "Ỹ", "中"]
)
_WORDS = st.lists(st.text(_CHARS, min_size=1, max_size=8), min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(_WORDS, st.booleans(), st.booleans())
def test_units_add_up_over_spaces(words: list[str], bold: bool, italic: bool) -> None:
    """The ground of ngat_dong.even_lines measuring a run of words from the words' own units."""
    joined = text_units(" ".join(words), bold=bold, italic=italic)
    parts = sum(text_units(w, bold=bold, italic=italic) for w in words)
    assert joined == parts + (len(words) - 1) * text_units(" ", bold=bold, italic=italic)


def test_wrap_lines_respects_width() -> None:
    text = "Phối hợp công tác giữa Ban Tuyên giáo Tỉnh ủy và Ủy ban nhân dân tỉnh giai đoạn 2016 - 2020"
    lines = wrap_lines(text, 14, 100, bold=True)
    assert len(lines) >= 2 and " ".join(lines) == text
    assert all(text_width_mm(line, 14, bold=True) <= 100 for line in lines)


def test_builtin_profiles_and_inheritance() -> None:
    assert {"nd30-2020", "hd36-2018"} <= set(available_profiles())
    nd30, hd36 = load_profile("nd30-2020"), load_profile("hd36-2018")
    assert nd30.system == "nha_nuoc" and hd36.system == "dang"
    assert hd36.chain == ("nd30-2020", "hd36-2018")
    assert nd30.get("sign.prefix")["ky_thay"] == "KT." and hd36.get("sign.prefix")["ky_thay"] == "K/T"
    assert hd36.get("header.quoc_hieu.text") == nd30.get("header.quoc_hieu.text")  # inherited
    assert nd30.get("number.format") == "Số: {so}/{ky_hieu}" and hd36.get("number.format") == "Số {so}-{ky_hieu}"
    for profile in (nd30, hd36):
        for key, rule in profile.rules.items():
            assert rule.source, f"{profile.id}:{key} has no citation"
            assert rule.status in {"confirmed", "secondary", "indicative", "practice", "unconfirmed"}


def test_size_set_switch_moves_all_sizes_together() -> None:
    big = load_profile("nd30-2020")
    small = big.with_overrides({"size_set": "12/13"})
    for role in ("quoc_hieu", "tieu_ngu", "co_quan", "dia_danh", "body", "sign"):
        assert small.size(role) == big.size(role) - 1
    assert small.get("size.so") == big.get("size.so") == 13  # Số is fixed at 13 (ND30-PL1 §II.3.c)


def test_user_profile_extends_builtin(tmp_path) -> None:
    (tmp_path / "so-tu-phap.yaml").write_text(
        "id: so-tu-phap\nextends: nd30-2020\nrules:\n"
        "  page.margin_mm.left: {default: 35, range: [30, 35], source: 'quy chế nội bộ', status: practice}\n",
        encoding="utf-8",
    )
    p = load_profile("so-tu-phap.yaml", tmp_path)
    assert p.get("page.margin_mm.left") == 35 and p.get("page.margin_mm.right") == 20
    with pytest.raises(KeyError):
        p.with_overrides({"khong.co": 1})
    (tmp_path / "a.yaml").write_text("id: a\nextends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile("a.yaml", tmp_path)

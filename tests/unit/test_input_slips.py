"""Input that parses but is not what the clerk meant gets a located diagnostic with the fix: a recipient split
by YAML flow commas, a number typed into ``ky_hieu``, a single TCVN3/VNI character in Unicode text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import quyche
from quyche.legacy import STRAY, TCVN3, VI_LATIN1, VNI_MARKS, stray_legacy
from quyche.pipeline import build

from support import BASE, write
from support import quyche as run_cli


def at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n, line.index(needle) + 1 + offset
    raise AssertionError(needle)


def found(diags, code: str) -> list[tuple[int, int]]:
    return [(d.location.line, d.location.column) for d in diags if d.code == code and d.location]


# ---- (a) one recipient split at its commas by a YAML flow list ---------------------------------------

SPLIT = [
    ("[Thường trực Tỉnh ủy, Các sở, ban, ngành tỉnh]", "ban", "Các sở, ban, ngành tỉnh"),
    ("[UBND các huyện, thị xã, thành phố, Sở Nội vụ]", "thị xã", "UBND các huyện, thị xã, thành phố"),
    ("[Ban Thường vụ Tỉnh ủy, Các cơ quan, đơn vị, đoàn thể tỉnh]", "đơn vị", "Các cơ quan, đơn vị, đoàn thể tỉnh"),
    ("[Sở Tư pháp, Các phòng, ban chuyên môn]", "ban chuyên môn", "Các phòng, ban chuyên môn"),
]


@pytest.mark.parametrize(("flow", "piece", "joined"), SPLIT)
def test_split_recipient_is_located_with_the_joined_item(tmp_path: Path, flow: str, piece: str, joined: str) -> None:
    text = BASE.replace('noi_nhan: ["Các sở, ngành"]', f"noi_nhan: {flow}")
    diags = quyche.validate(write(tmp_path, text))
    assert found(diags, "danh-sach-tach-dau-phay") == [at(text, ", " + piece, offset=2)]
    d = next(d for d in diags if d.code == "danh-sach-tach-dau-phay")
    assert d.severity == "warning" and f'"{joined}"' in d.hint and f"- {joined}" in d.hint


@pytest.mark.parametrize(
    "written",
    [
        'noi_nhan: [Thường trực Tỉnh ủy, "Các sở, ban, ngành tỉnh"]',
        "noi_nhan:\n  - Thường trực Tỉnh ủy\n  - Các sở, ban, ngành tỉnh",
        "noi_nhan: [Thường trực Tỉnh ủy, Sở Tư pháp, Đài Phát thanh - Truyền hình tỉnh]",
        "noi_nhan: [Thường trực Tỉnh ủy (để báo cáo), đồng chí Trưởng ban]",  # a person, whole
    ],
)
def test_whole_items_are_not_fragments(tmp_path: Path, written: str) -> None:
    text = BASE.replace('noi_nhan: ["Các sở, ngành"]', written)
    assert quyche.validate(write(tmp_path, text)) == []


def test_split_recipient_warns_but_renders_through_the_cli(tmp_path: Path) -> None:
    text = BASE.replace('noi_nhan: ["Các sở, ngành"]', "noi_nhan: [Thường trực Tỉnh ủy, Các sở, ban, ngành tỉnh]")
    path = write(tmp_path, text)
    r = run_cli("render", str(path), "-o", str(tmp_path / "out"), "-f", "docx")
    line, col = at(text, ", ban", offset=2)
    assert r.returncode == 0 and (tmp_path / "out" / "vb.docx").exists()
    assert f"vb.yaml:{line}:{col}: cảnh báo [danh-sach-tach-dau-phay]" in r.stderr + r.stdout


# ---- (b) the number typed into ky_hieu --------------------------------------------------------------

TYPED = [
    ("Số   593 - QĐ-TU", 593, "QĐ-TU"),
    ("593-QĐ/TU", 593, "QĐ/TU"),
    ("Số: 12/QC-UBND", 12, "QC-UBND"),
    ("số 7/QC-UBND", 7, "QC-UBND"),
]


@pytest.mark.parametrize(("typed", "so", "symbol"), TYPED)
def test_number_in_ky_hieu_is_located_with_the_split(tmp_path: Path, typed: str, so: int, symbol: str) -> None:
    text = BASE.replace("so: 5\n", f'ky_hieu: "{typed}"\n')
    diags = quyche.validate(write(tmp_path, text))
    assert found(diags, "so-trong-ky-hieu") == [at(text, f'"{typed}"')]
    d = next(d for d in diags if d.code == "so-trong-ky-hieu")
    assert d.is_error and f'"so: {so}"' in d.hint and f'"ky_hieu: {symbol}"' in d.hint


def test_number_in_ky_hieu_differing_from_so_is_named(tmp_path: Path) -> None:
    text = BASE.replace("so: 5\n", 'so: 5\nky_hieu: "593-QĐ/TU"\n')
    d = next(d for d in quyche.validate(write(tmp_path, text)) if d.code == "so-trong-ky-hieu")
    assert '"ky_hieu: QĐ/TU"' in d.hint and "593" in d.hint and '"so: 5"' in d.hint


def test_number_in_ky_hieu_stops_the_cli(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("so: 5\n", "ky_hieu: Số   593 - QĐ-TU\n"))
    r = run_cli("render", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1 and "[so-trong-ky-hieu]" in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("symbol", ["QĐ-TU", "QC-UBND-BTGTU", "2021/QĐ-UBND", "CTr/BTGDVTU-UBND"])
def test_a_symbol_alone_is_accepted(tmp_path: Path, symbol: str) -> None:
    path = write(tmp_path, BASE.replace("so: 5\n", f"so: 5\nky_hieu: {symbol}\n"))
    assert quyche.validate(path) == []
    assert build(path).document.so_ky_hieu == f"Số: 05/{symbol}"


# ---- (c) one legacy character in Unicode text -------------------------------------------------------

TCVN3_STRAYS = sorted(ch for ch in TCVN3 if ch in STRAY)


def test_every_tcvn3_character_is_detectable_or_a_vietnamese_letter() -> None:
    """The TCVN3 bytes not reported alone are exactly the ones that are also Vietnamese letters (and the soft
    hyphen, removed as invisible): a lone one cannot be told from the letter it is."""
    silent = {ch for ch in TCVN3 if ch not in STRAY}
    assert silent == (set(TCVN3) & VI_LATIN1) | {"\xad"}
    assert len(TCVN3_STRAYS) >= 45


@pytest.mark.parametrize("ch", TCVN3_STRAYS, ids=lambda c: f"U+{ord(c):04X}")
def test_single_tcvn3_character_in_unicode_text(tmp_path: Path, ch: str) -> None:
    """Generated over the TCVN3 table: the character, its column, the letter it stands for, the repaired word."""
    text = BASE.replace("trich_yeu: Phối hợp công tác năm 2021", f"trich_yeu: Phối hợp công tác tỉnh Qu{ch}ng Trị")
    diags = quyche.validate(write(tmp_path, text))
    assert found(diags, "ky-tu-ma-cu") == [at(text, f"Qu{ch}ng", offset=2)]
    d = next(d for d in diags if d.code == "ky-tu-ma-cu")
    assert d.severity == "warning" and f'"{ch}"' in d.message
    assert f'"Qu{TCVN3[ch]}ng"' in d.hint or f'"{TCVN3[ch]}"' in d.message


def test_quoted_text_points_past_the_quote(tmp_path: Path) -> None:
    text = BASE.replace("trich_yeu: Phối hợp công tác năm 2021", 'trich_yeu: "Phối hợp tỉnh Qu¶ng Trị"')
    assert found(quyche.validate(write(tmp_path, text)), "ky-tu-ma-cu") == [at(text, "Qu¶ng", offset=2)]


def test_vni_mark_after_a_vowel_reads_as_vni_first() -> None:
    (stray,) = stray_legacy("tỉnh Quaûng Trị")
    assert stray.readings[0] == ("VNI", "ả", "Quảng")
    for mark in VNI_MARKS:
        if mark in STRAY:
            (found_stray,) = stray_legacy(f"tỉnh Qua{mark}ng Trị")
            assert found_stray.readings[0][0] == "VNI", mark


def test_unicode_vietnamese_and_symbols_are_left_alone() -> None:
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    toned = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in "\u0300\u0301\u0303\u0309\u0323"]
    text = " ".join([letters, letters.upper(), *toned, "½ ngày", "«Quy chế»", "§ 3", "2 × 3"])
    assert stray_legacy(text) == []

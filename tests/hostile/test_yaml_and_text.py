"""Hostile YAML and text: every case ends in a rendered document or a located error, quickly."""

from __future__ import annotations

import codecs
import time
import unicodedata
from pathlib import Path

import pytest

import quyche as api
from quyche.errors import DiagnosticError

from outline import docx_text
from support import BASE, quyche, write


def codes(path: Path) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in api.validate(path) if d.location]


def texts(result) -> str:
    return docx_text(result.outputs["docx"])


def test_billion_laughs(tmp_path: Path, case) -> None:
    case("YAML", "alias bomb (9 levels × 9 aliases ≈ 387 million nodes)", "lỗi yaml-qua-phuc-tap, before building")
    levels = "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    path = write(tmp_path, 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + levels)
    t = time.perf_counter()
    assert codes(path)[0][0] == "yaml-qua-phuc-tap"
    assert time.perf_counter() - t < 30  # a hang detector, not a speed claim: refused in ~10 ms (yaml_probe.py)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo x']",
        "!!python/name:os.system",
        "!!python/object/new:subprocess.Popen [['ls']]",
        "!!binary aGVsbG8=",
    ],
)
def test_python_tags_refused(tmp_path: Path, case, tag: str) -> None:
    case("YAML", f"thẻ {tag.split()[0]}", "lỗi yaml-the-khong-an-toan tại giá trị, không chạy gì")
    path = write(tmp_path, BASE.replace("so: 5", f"so: {tag}"))
    assert codes(path) == [("yaml-the-khong-an-toan", 8, 5)]


def test_duplicate_keys(tmp_path: Path, case) -> None:
    case("YAML", "khóa trùng (trich_yeu hai lần)", "lỗi yaml-khoa-trung ở khóa thứ hai")
    path = write(tmp_path, BASE.replace("dia_danh:", "trich_yeu: Lần hai\ndia_danh:"))
    [(code, line, col)] = codes(path)
    assert code == "yaml-khoa-trung" and col == 1
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("trich_yeu: Phối hợp")


def test_file_over_size_limit(tmp_path: Path, case) -> None:
    from quyche.budget import limit

    MAX_BYTES = limit("yaml_bytes")

    case("YAML", f"tệp {MAX_BYTES // 1024 // 1024} MiB + 1 byte", "lỗi tep-qua-lon, không đọc hết tệp")
    path = write(tmp_path, BASE + "# " + "x" * MAX_BYTES)
    assert codes(path)[0][0] == "tep-qua-lon"


@pytest.mark.parametrize("shape", ["flow", "dash"])
def test_deep_nesting_never_crashes(tmp_path: Path, case, shape: str) -> None:
    case(
        "YAML",
        f"lồng 500 000 mức ({'[[[…' if shape == 'flow' else '- - - …'})",
        "lỗi yaml-qua-phuc-tap (libyaml sẽ làm sập trình thông dịch)",
    )
    n = 500_000
    text = "a: " + "[" * n + "]" * n if shape == "flow" else "- " * n + "x"
    r = quyche("validate", str(write(tmp_path, text)))
    assert r.returncode == 1 and "[yaml-qua-phuc-tap]" in r.stderr


def test_binary_garbage(tmp_path: Path, case) -> None:
    case("YAML", "rác nhị phân (PNG, có byte NUL)", "lỗi ma-hoa-tep kèm vị trí")
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    r = quyche("validate", str(path))
    assert r.returncode == 1 and "[ma-hoa-tep]" in r.stderr


def test_invalid_utf8_is_located(tmp_path: Path, case) -> None:
    case("YAML", "UTF-8 hỏng (byte 0xFF giữa dòng 11)", "lỗi ma-hoa-tep tại dòng:cột của byte hỏng")
    raw = BASE.encode().replace("trich_yeu: Phối".encode(), b"trich_yeu: Ph\xffi")
    assert codes(write(tmp_path, raw)) == [("ma-hoa-tep", 11, 14)]


@pytest.mark.parametrize(
    ("label", "encode"),
    [
        ("UTF-16 LE có BOM", lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le")),
        ("UTF-16 BE có BOM", lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be")),
        ("UTF-8 có BOM", lambda s: codecs.BOM_UTF8 + s.encode()),
        ("xuống dòng CRLF", lambda s: s.replace("\n", "\r\n").encode()),
    ],
)
def test_encodings_and_line_ends_render(tmp_path: Path, case, label: str, encode) -> None:
    case("YAML", label, "hiển thị đúng tiếng Việt, như bản UTF-8")
    path = write(tmp_path, encode(BASE))
    result = api.render(path)
    assert "Ủy ban nhân dân tỉnh Lâm Đồng" in texts(result) or "ỦY BAN NHÂN DÂN" in texts(result)
    assert "TỈNH LÂM ĐỒNG" in texts(result)


def test_tabs_are_located(tmp_path: Path, case) -> None:
    case("YAML", "thụt lề bằng Tab", "lỗi yaml-tab tại dòng có Tab")
    assert codes(write(tmp_path, BASE.replace("  - ma: UBND", "\t- ma: UBND")))[0][0] == "yaml-tab"


def test_forbidden_xml_characters(tmp_path: Path, case) -> None:
    case(
        "văn bản",
        "ký tự XML cấm (\\x00, \\x0b, \\x0c) trong chuỗi có ngoặc kép",
        "bỏ ký tự, cảnh báo ky-tu-dieu-khien, tệp mở được",
    )
    path = write(
        tmp_path, BASE.replace("doan: Quy chế này quy định việc phối hợp.", 'doan: "Quy chế\\0 này\\v quy\\f định."')
    )
    result = api.render(path)
    assert [w.code for w in result.warnings] == ["ky-tu-dieu-khien"]
    assert "Quy chế này quy định./." in texts(result)


def test_raw_nul_byte_in_file(tmp_path: Path, case) -> None:
    case("văn bản", "byte NUL thô trong tệp", "lỗi ma-hoa-tep tại vị trí byte")
    raw = BASE.encode().replace(b"Quy ch\xe1\xba\xbf n\xc3\xa0y", b"Quy\x00")
    assert codes(write(tmp_path, raw))[0][0] == "ma-hoa-tep"


def test_invisible_and_bidi_characters_removed(tmp_path: Path, case) -> None:
    case("văn bản", "ký tự vô hình và điều khiển hướng (U+200B, U+202E, U+2066, U+FEFF)", "bị bỏ, không hiện trong tệp")
    path = write(tmp_path, BASE.replace("Phạm vi", "Phạm\u200b vi\u202e\u2066\ufeff"))
    body = texts(api.render(path))
    assert "Điều 1. Phạm vi" in body and not any(c in body for c in "\u200b\u202e\u2066\ufeff")


def test_decomposed_vietnamese_becomes_nfc(tmp_path: Path, case) -> None:
    case("văn bản", "tiếng Việt tổ hợp (NFD)", "chuẩn hóa NFC trong tệp kết quả")
    path = write(tmp_path, unicodedata.normalize("NFD", BASE))
    body = texts(api.render(path))
    assert unicodedata.is_normalized("NFC", body) and "Phối hợp công tác năm 2021" in body


@pytest.mark.parametrize(
    ("label", "text", "enc"),
    [
        ("TCVN3 (ABC)", "Uû ban nh©n d©n tØnh", "TCVN3"),
        ("VNI", "UÛy ban nhaân daân tænh", "VNI"),
    ],
)
def test_legacy_encodings(tmp_path: Path, case, label: str, text: str, enc: str) -> None:
    case("văn bản", f"chữ gõ bảng mã {label}", "lỗi ma-cu kèm gợi ý chuyển mã")
    d = api.validate(write(tmp_path, BASE.replace("ten: Ủy ban nhân dân tỉnh Lâm Đồng", f"ten: {text}")))
    assert d[0].code == "ma-cu" and enc in d[0].message and d[0].location.line == 5


def test_huge_paragraph_and_unbreakable_word(tmp_path: Path, case) -> None:
    case("văn bản", "đoạn 100 000 ký tự và một từ 5 000 ký tự không chỗ ngắt", "tạo tệp, đủ nội dung")
    long_para = ("phối hợp " * 12_500)[:100_000]
    word = "x" * 5000
    path = write(tmp_path, BASE.replace("doan: Quy chế này quy định việc phối hợp.", f"doan: {long_para} {word}"))
    t = time.perf_counter()
    body = texts(api.render(path))
    assert word in body and len(body) > 100_000 and time.perf_counter() - t < 10


@pytest.mark.parametrize(
    "value", ["A & B <c> ]]> \"d\" 'e'", "{{ 7*7 }} {% for x in y %}{{ x }}{% endfor %}", "{{ ''.__class__.__mro__ }}"]
)
def test_markup_in_values_is_literal(tmp_path: Path, case, value: str) -> None:
    case("văn bản", f"ký tự đặc biệt trong giá trị: {value[:30]}", "hiện nguyên văn, không được đánh giá")
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    path = write(tmp_path, BASE.replace("trich_yeu: Phối hợp công tác năm 2021", f'trich_yeu: "{quoted}"'))
    assert value in texts(api.render(path))


def test_invalid_date(tmp_path: Path, case) -> None:
    case("cấu trúc", "ngày 2025-02-30", "lỗi ngay-khong-hop-le tại giá trị")
    assert codes(write(tmp_path, BASE.replace("2021-01-05", "2025-02-30"))) == [("ngay-khong-hop-le", 9, 7)]


def test_api_raises_located_errors_not_exceptions(tmp_path: Path) -> None:
    with pytest.raises(DiagnosticError) as exc:
        api.render(write(tmp_path, "loai: [unclosed"))
    assert exc.value.diagnostics[0].location.line in (1, 2)  # libyaml reports the end of the flow

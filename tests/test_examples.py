"""Every example in data/ validates, renders, matches its golden outline and the rules of thể thức."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

import quyche
from quyche.measure import text_width_mm
from quyche.normalize import format_dia_danh_ngay
from quyche.pipeline import build

from conftest import example_files
from outline import docx_outline, iter_paragraphs

GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = example_files()


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def rendered(request):
    path: Path = request.param
    result = quyche.render(path)
    return path, result, docx_outline(result.outputs["docx"])


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 4


def test_example_is_clean(rendered) -> None:
    path, _, _ = rendered
    assert quyche.validate(path) == [], "examples carry no warnings"


def test_golden_outline(rendered, update_golden: bool) -> None:
    path, _, outline = rendered
    golden = GOLDEN / f"{path.stem}.docx.json"
    text = json.dumps(outline, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if update_golden or not golden.exists():
        golden.write_text(text, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"golden {golden.name} was missing and has been written: review it and commit")
    assert json.loads(golden.read_text(encoding="utf-8")) == outline


def _header(outline):
    return outline["body"][0]["table"]


def test_page_setup_and_page_numbers(rendered) -> None:
    _, result, outline = rendered
    profile_id = result.document.profile_id
    for s in outline["sections"]:
        assert s["page_mm"] == [210.0, 297.0]
        top, bottom, left, right = s["margins_mm"]
        if profile_id == "nd30-2020":  # NĐ 30/2020, Phụ lục I, I.3
            assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
        assert s["title_page"] is True, "no page number on page 1 (Phụ lục I, I.7)"
        assert s["first_header"] == []
    assert "PAGE" in outline["sections"][0]["header_fields"][0]
    assert all(s["restart"] for s in outline["sections"][1:]), "each appendix numbers its own pages"


def test_header_lines_and_rules(rendered) -> None:
    path, result, outline = rendered
    header = _header(outline)
    left, right = header["rows"][0]
    texts = [p.get("text") for p in right]
    right_width = header["widths_mm"][1] - 2 * 1.9
    if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts:
        i = texts.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        qh, tn, rule = right[i], right[i + 1], right[i + 2]
        assert qh["bold"] is True and tn["bold"] is True and tn["underline"] is False
        assert tn["text"] == "Độc lập - Tự do - Hạnh phúc"
        assert text_width_mm(qh["text"], qh["size"], bold=True) <= right_width, "the Quốc hiệu must not wrap"
        assert rule["rule_mm"] == pytest.approx(text_width_mm(tn["text"], tn["size"], bold=True), abs=0.15)
    else:
        assert texts[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
        td, rule = right[0], right[1]
        assert td["bold"] is True and td["size"] == 15
        assert rule["rule_mm"] == pytest.approx(text_width_mm(td["text"], 15, bold=True), abs=0.15)
    names = [p for p in left if p.get("bold") is True]
    assert names, "issuing body in bold (Phụ lục I, II.2.b)"
    for p in left:
        if "rule_mm" in p:
            widest = max(text_width_mm(n["text"], n["size"], bold=True) for n in names)
            assert widest / 3 - 0.2 <= p["rule_mm"] <= widest / 2 + 0.2, "agency rule 1/3–1/2 of the name"
    # number and date on one row (Phụ lục I, II.4.c)
    so_cell, date_cell = header["rows"][1]
    doc = build(path).document
    assert so_cell[0]["text"] == doc.so_ky_hieu
    if not date_cell or not date_cell[0].get("text"):
        date_cell = [{"italic": True}]  # minutes without a date line: checked in test_date_line_is_generated
    if result.document.profile_id.startswith("hd"):
        assert re.fullmatch(r"Số (\d{2,}|\s+)-[A-Za-zĐđ]+/[A-ZĐ0-9.-]+", so_cell[0]["text"])
    else:
        assert re.fullmatch(r"Số: (\d{2,}|\s+)/[A-Za-zĐđ]+-[A-ZĐ0-9.-]+", so_cell[0]["text"])
    assert date_cell[0]["italic"] is True


def test_date_line_is_generated(rendered) -> None:
    path, result, outline = rendered
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    date_cell = _header(outline)["rows"][1][1]
    if result.document.kind == "bien_ban" and result.document.profile_id == "nd30-2020":
        assert all(not p.get("text") for p in date_cell), "State minutes have no date line (Mẫu 1.9)"
        return
    assert date_cell[0]["text"] == format_dia_danh_ngay(data["dia_danh"], data["ngay"])


def test_no_underscores_and_times_new_roman_everywhere(rendered) -> None:
    _, result, outline = rendered
    assert not any("__" in (p.get("text") or "") for p in iter_paragraphs(outline))
    doc = open_docx(io.BytesIO(result.outputs["docx"]))
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs
    for r in runs:
        fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None
        assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"Times New Roman"}


def test_structure_numbering_and_ending(rendered) -> None:
    _, result, outline = rendered
    paras = [p for p in iter_paragraphs(outline) if "text" in p]
    if result.document.kind == "quy_che":
        dieu = [p["text"] for p in paras if p.get("role") == "dieu"]
        chuong = [p["text"] for p in paras if p.get("role") == "chuong"]
        assert len(chuong) >= 3 and len(dieu) >= 8
        assert [int(re.match(r"Điều (\d+)\. ", t).group(1)) for t in dieu] == list(range(1, len(dieu) + 1))
    if result.document.kind == "chuong_trinh":
        phan = [p["text"] for p in paras if p.get("role") == "phan"]
        assert len(phan) >= 3 and all(t == t.upper() for t in phan)
        assert [re.match(r"([IVX]+)[.-] ", t).group(1) for t in phan][:3] == ["I", "II", "III"]
    for p in paras:
        if p.get("role") in ("doan", "khoan", "diem", "can_cu", "gach"):
            assert p["align"] == "justify" and p["first_indent_mm"] in (10.0, 12.7)
    body = [p for p in paras if p.get("role") in ("doan", "khoan", "diem", "gach", "giay_moi_muc")]
    if result.document.kind == "bien_ban":
        return  # the closing sentence of minutes is checked in tests/bien_ban
    mark = "." if result.document.profile_id.startswith("hd") else "./."
    assert body[-1]["text"].endswith(mark) and not body[-1]["text"].endswith(".." + mark[-1])


def test_signatures_follow_each_system(rendered) -> None:
    path, result, outline = rendered
    doc = result.document
    assert len(doc.signers) == len(build(path).document.signers) >= 1
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    systems = {}
    for b in data["co_quan"]:
        systems[b["ma"]] = b.get("he_thong")
    for signer in doc.signers:
        lines = " ".join(signer.lines)
        party = (
            systems.get(signer.co_quan) == "dang"
            or signer.co_quan.startswith("BTG")
            or signer.co_quan.startswith("BDV")
        )
        if party:
            assert not re.search(r"\b(TM|KT|TL|TUQ)\.", lines)
        else:
            assert not re.search(r"\b(T/M|K/T|T/L)\b", lines)
    names = [p for p in iter_paragraphs(outline) if p.get("role") == "chu_ky_ho_ten"]
    assert [p["text"] for p in names] and all(p["bold"] for p in names)


def test_noi_nhan_punctuation(rendered) -> None:
    _, result, outline = rendered
    items = [p for p in iter_paragraphs(outline) if p.get("role") == "noi_nhan_muc"]
    label = next(p for p in iter_paragraphs(outline) if p.get("role") == "noi_nhan_nhan")
    assert label["text"] == "Nơi nhận:"
    if result.document.profile_id == "nd30-2020":  # 12 bold italic; items 11 (Phụ lục I, II.9.d)
        assert (label["size"], label["bold"], label["italic"]) == (12, True, True)
        assert items[-1]["text"].startswith("- Lưu: VT")
    assert all(p["text"].startswith("- ") and p["text"].endswith(";") for p in items[:-1])
    assert items[-1]["text"].endswith(".") and items[-1]["text"].startswith("- Lưu")

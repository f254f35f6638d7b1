"""Độ khẩn, số bản, hạn trả lời (schema/phat_hanh.py): validated with located Vietnamese errors; carried into the
PDF's XMP, the .docx custom properties and the sidecar (Priority, IssuedAmount, DueDate); the urgency mark drawn
as NĐ 30/2020 Phụ lục I, III.2.b gives it (ô 10b: a single red frame of 20/40/30 × 8 mm, bold capitals) in both
the .docx and the PDF of a State document, never in a Party one (no rule in the Party texts)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from quyche.pipeline import build, render_to

from support import BASE, LOCATED, quyche, write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARTY = {
    "ma": "BTG",
    "he_thong": "dang",
    "ten": "Ban Tuyên giáo Tỉnh ủy Lâm Đồng",
    "cap_tren": "Tỉnh ủy Lâm Đồng",
    "ten_dau_trang": "Ban Tuyên giáo",
    "viet_tat": "BTGTU",
}


def cong_van(tmp_path: Path, party: bool = False, **extra) -> Path:
    data = {
        "loai": "cong_van",
        "co_quan": [PARTY] if party else yaml.safe_load(BASE)["co_quan"],
        "so": 12,
        "ngay": "2025-03-03",
        "dia_danh": "Lâm Đồng",
        "trich_yeu": "Báo cáo kết quả phối hợp",
        "kinh_gui": ["Các sở, ngành"],
        "doan": ["Đề nghị các cơ quan báo cáo kết quả phối hợp trước ngày 15/3/2025."],
        "ky": [{"co_quan": "BTG" if party else "UBND", "chuc_vu": "Trưởng ban" if party else "Chủ tịch",
                "ho_ten": "Nguyễn Văn A"}],
        "noi_nhan": ["Như trên"],
        **extra,
    }  # fmt: skip
    text = re.sub(r"'(\d{4}-\d\d-\d\d)'", r"\1", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return write(tmp_path, text, "cv.yaml")


def refused(path: Path, code: str, field: str, env: dict | None = None) -> str:
    r = quyche("validate", str(path), env=env)
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout + r.stderr
    found = re.search(LOCATED, out, re.MULTILINE)
    assert found and found.group("code") == code, out
    line = int(out.split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith(f"{field}:"), out
    return out


def test_unknown_urgency_is_located_with_the_nearest_value(tmp_path: Path) -> None:
    out = refused(cong_van(tmp_path, do_khan="thuong khan"), "do-khan-khong-ro", "do_khan")
    assert 'Có phải ý bạn là "thượng khẩn"?' in out and '"hỏa tốc"' in out


def test_due_date_before_the_document_date_is_located(tmp_path: Path) -> None:
    out = refused(cong_van(tmp_path, han_tra_loi="2025-03-02"), "han-tra-loi-truoc-ngay", "han_tra_loi")
    assert "02/03/2025" in out and "03/03/2025" in out


@pytest.mark.parametrize("value", [0, -3, True, "ba mươi", 2.5])
def test_copies_must_be_a_positive_integer(tmp_path: Path, value) -> None:
    refused(cong_van(tmp_path, so_ban=value), "sai-kieu", "so_ban")


def test_copies_over_the_budget_name_the_variable(tmp_path: Path) -> None:
    out = refused(cong_van(tmp_path, so_ban=5001), "vuot-gioi-han", "so_ban", env={"QUYCHE_MAX_SO_BAN": "5000"})
    assert "QUYCHE_MAX_SO_BAN" in out


@pytest.mark.parametrize(
    ("typed", "priority"),
    [("KHẨN", "Khẩn"), ("Thượng  khẩn", "Thượng khẩn"), ("HOẢ TỐC", "Hỏa tốc"), ("hỏa tốc", "Hỏa tốc")],
)
def test_spellings_of_the_three_degrees(tmp_path: Path, typed: str, priority: str) -> None:
    meta = build(cong_van(tmp_path, do_khan=typed)).document.meta
    assert meta.priority == priority


def _frames(docx: bytes) -> list[tuple[str, int, str]]:
    """(text, width in twips, border colour) of every one-cell bordered table, nested ones included."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    out = []
    for tbl in body.iter(f"{W}tbl"):
        cells = tbl.findall(f"{W}tr/{W}tc")
        top = tbl.find(f"{W}tblPr/{W}tblBorders/{W}top")
        if len(cells) == 1 and top is not None and top.get(f"{W}val") == "single":
            text = "".join(t.text or "" for t in cells[0].iter(f"{W}t"))
            colours = {c.get(f"{W}val") for c in cells[0].iter(f"{W}color")}
            width = int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w"))
            out.append((text, width, top.get(f"{W}color"), colours))
    return out


@pytest.mark.parametrize(("do_khan", "text", "width_mm"), [("khẩn", "KHẨN", 20), ("thượng khẩn", "THƯỢNG KHẨN", 40),
                                                            ("hỏa tốc", "HỎA TỐC", 30)])  # fmt: skip
def test_state_document_draws_the_mark_in_both_files(tmp_path: Path, do_khan: str, text: str, width_mm: int) -> None:
    import pdfplumber

    source = cong_van(tmp_path, do_khan=do_khan, so_ban=30, han_tra_loi="2025-03-15")
    render_to(source, tmp_path / "out", ("docx", "pdf"))
    docx = (tmp_path / "out" / "cv.docx").read_bytes()
    [(got, width, border, colours)] = _frames(docx)
    assert got == text and border == "FF0000" and colours == {"FF0000"}
    assert width == round(width_mm / 25.4 * 1440)
    with pdfplumber.open(tmp_path / "out" / "cv.pdf") as pdf:
        page = pdf.pages[0]
        red = [e for e in page.lines + page.rects if tuple(e.get("stroking_color") or ()) == (1.0, 0.0, 0.0)]
        x0 = min(e["x0"] for e in red)
        x1, top, bottom = max(e["x1"] for e in red), min(e["top"] for e in red), max(e["bottom"] for e in red)
        mm = 25.4 / 72
        assert (x1 - x0) * mm == pytest.approx(width_mm, abs=0.3)  # the frame, measured on its lines
        assert (bottom - top) * mm == pytest.approx(8, abs=0.3)
        assert x0 * mm == pytest.approx(30, abs=2.5)  # from the left margin, under the number (ô 10b)
        words = [w for w in page.extract_words() if w["x0"] >= x0 and w["x1"] <= x1 and top <= w["top"] <= bottom]
        assert " ".join(w["text"] for w in words) == text
        number = next(w for w in page.extract_words() if w["text"] == "Số:")
        assert top > number["bottom"]


def test_metadata_reaches_xmp_custom_properties_and_sidecar(tmp_path: Path) -> None:
    source = cong_van(tmp_path, do_khan="thượng khẩn", so_ban=30, han_tra_loi="2025-03-15")
    render_to(source, tmp_path / "out", ("docx", "pdf"))
    side = json.loads((tmp_path / "out" / "cv.json").read_text(encoding="utf-8"))["van_ban"]
    assert (side["Priority"], side["IssuedAmount"], side["DueDate"]) == ("Thượng khẩn", 30, "2025-03-15")
    custom = zipfile.ZipFile(tmp_path / "out" / "cv.docx").read("docProps/custom.xml").decode("utf-8")
    assert 'name="Priority"><vt:lpwstr>Thượng khẩn</vt:lpwstr>' in custom
    assert 'name="IssuedAmount"><vt:i4>30</vt:i4>' in custom
    assert 'name="DueDate"><vt:lpwstr>2025-03-15</vt:lpwstr>' in custom
    from pypdf import PdfReader

    xmp = PdfReader(tmp_path / "out" / "cv.pdf").trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    for tag, value in (("Priority", "Thượng khẩn"), ("IssuedAmount", "30"), ("DueDate", "2025-03-15")):
        assert f"<vbdi:{tag}>{value}</vbdi:{tag}>" in xmp


def test_party_document_keeps_the_degree_in_metadata_only(tmp_path: Path) -> None:
    source = cong_van(tmp_path, party=True, do_khan="khẩn", so_ban=5)
    result = render_to(source, tmp_path / "out", ("docx",))
    assert result.document.meta.priority == "Khẩn" and result.document.meta.issued_amount == 5
    assert _frames((tmp_path / "out" / "cv.docx").read_bytes()) == []
    assert all(p.role != "dau_khan" for p in result.document.iter_paras())


def test_without_a_degree_nothing_is_drawn(tmp_path: Path) -> None:
    result = build(cong_van(tmp_path))
    assert all(p.role != "dau_khan" for p in result.document.iter_paras())
    assert (result.document.meta.priority, result.document.meta.issued_amount, result.document.meta.due_date) == (
        "",
        None,
        "",
    )


def test_schema_documents_the_fields_in_vietnamese() -> None:
    r = quyche("schema", "cong_van")
    props = json.loads(r.stdout)["properties"]
    assert props["do_khan"]["title"] == "Độ khẩn"
    assert props["do_khan"]["anyOf"][0]["enum"] == ["khẩn", "thượng khẩn", "hỏa tốc"]
    assert props["so_ban"]["title"] == "Số bản phát hành" and props["so_ban"]["anyOf"][0]["minimum"] == 1
    assert props["han_tra_loi"]["title"] == "Hạn trả lời"

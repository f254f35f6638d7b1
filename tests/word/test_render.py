"""Documents rendered through a user Word template (mau_word): the composed values and the header and
signature sub-documents land in the template, with the built-in geometry, and data never breaks the XML."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document

import quyche
from mau_word_helpers import GIAY_MOI, ROOT, document_using, make_template, reopen
from quyche.errors import DiagnosticError
from quyche.word.starter import starter_docx


def _widths(table) -> list[float]:
    return [round(c.width.mm, 1) for c in table.rows[0].cells]


def test_starter_template_gives_the_built_in_header_and_signature_geometry(tmp_path: Path) -> None:
    (tmp_path / "mau.docx").write_bytes(starter_docx("giay_moi", "dang"))
    doc_path = document_using(tmp_path, "mau.docx")
    own = reopen(quyche.render(doc_path).outputs["docx"])
    built_in = reopen(quyche.render(GIAY_MOI).outputs["docx"])
    assert len(own.tables) == 2
    for mine, theirs in zip(own.tables, built_in.tables, strict=True):
        assert _widths(mine) == _widths(theirs)
        assert [c.text for c in mine.rows[0].cells] == [c.text for c in theirs.rows[0].cells]
    header_text = "\n".join(c.text for row in own.tables[0].rows for c in row.cells)
    assert "Số 05-GM/BTGHU" in header_text and "Tiên Lữ, ngày 08 tháng 3 năm 2019" in header_text
    texts = [p.text for p in own.paragraphs]
    assert "GIẤY MỜI" in texts
    assert "Địa điểm: Hội trường Huyện ủy Tiên Lữ." in texts
    assert not any("{{" in t or "{%" in t or "{#" in t for t in texts), "placeholders and legend are gone"
    # the header table's QC styles came with the sub-document
    with zipfile.ZipFile(io.BytesIO(quyche.render(doc_path).outputs["docx"])) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:styleId="QCQuocHieu"' in styles or 'w:styleId="QCTieuDeDang"' in styles


def test_plain_values_in_body_header_footer_table_and_properties(tmp_path: Path) -> None:
    make_template(
        tmp_path / "mau.docx",
        [
            "{{ so_ky_hieu }}",
            "{{ dia_danh_ngay }}",
            "{{ ten_loai }}: {{ su_kien }}",
            "{%p for k in nguoi_ky %}",
            "{{ k.dong|join(' / ') }} — {{ k.ho_ten }}",
            "{%p endfor %}",
            "{%p for d in noi_nhan_dong %}",
            "{{ d }}",
            "{%p endfor %}",
        ],
        header="Đầu trang {{ so_ky_hieu }}",
        footer="Chân trang {{ dau_trang[0].dong|join(' ') }}",
        title="{{ trich_yeu or su_kien }}",
        table=[
            ["Cơ quan", "Người ký"],
            ["{%tr for k in nguoi_ky %}", ""],
            ["{{ k.co_quan }}", "{{ k.ho_ten }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    out = reopen(quyche.render(document_using(tmp_path, "mau.docx")).outputs["docx"])
    texts = [p.text for p in out.paragraphs]
    assert texts[:3] == [
        "Số 05-GM/BTGHU",
        "Tiên Lữ, ngày 08 tháng 3 năm 2019",
        "GIẤY MỜI: Lễ ký kết Chương trình phối hợp công tác tuyên giáo năm 2019",
    ]
    assert "TRƯỞNG BAN — Vũ Quang Vinh" in texts
    assert "- Lưu Văn phòng Ban." in texts
    assert out.sections[0].header.paragraphs[0].text == "Đầu trang Số 05-GM/BTGHU"
    assert out.sections[0].footer.paragraphs[0].text == "Chân trang HUYỆN ỦY TIÊN LỮ BAN TUYÊN GIÁO"
    assert out.core_properties.title.startswith("Lễ ký kết") or out.core_properties.title
    rows = [[c.text for c in r.cells] for r in out.tables[0].rows]
    assert rows == [["Cơ quan", "Người ký"], ["BTGHU", "Vũ Quang Vinh"]]


@pytest.mark.parametrize("text", ["A & B <c> \"d\" 'e'", "R&D <script>", "]]> &amp; <w:p>"])
def test_ampersands_and_angle_brackets_in_data_never_corrupt_the_file(tmp_path: Path, text: str) -> None:
    make_template(tmp_path / "mau.docx", ["{{ su_kien }}"], header="{{ su_kien }}", title="{{ su_kien }}")
    source = GIAY_MOI.read_text(encoding="utf-8").replace(
        "su_kien: Lễ ký kết Chương trình phối hợp công tác tuyên giáo năm 2019",
        f"su_kien: {json.dumps(text, ensure_ascii=False)}",
    )
    (tmp_path / "src.yaml").write_text(source, encoding="utf-8")
    doc_path = document_using(tmp_path, "mau.docx", source=tmp_path / "src.yaml")
    out = reopen(quyche.render(doc_path).outputs["docx"])
    assert out.paragraphs[0].text == text
    assert out.sections[0].header.paragraphs[0].text == text
    assert out.core_properties.title == text


def test_articles_of_a_decision(tmp_path: Path) -> None:
    (tmp_path / "mau.docx").write_bytes(starter_docx("quyet_dinh"))
    doc_path = document_using(tmp_path, "mau.docx", source=ROOT / "data" / "quyet-dinh-lam-dong-2016.yaml")
    out = reopen(quyche.render(doc_path).outputs["docx"])
    texts = [p.text for p in out.paragraphs]
    assert any(t.startswith("Điều 1. Ban hành kèm theo Quyết định này") for t in texts)
    assert "Quyết định này có hiệu lực kể từ ngày ký." in texts
    assert _widths(out.tables[0]) == [62.5, 101.0]


def test_a_template_that_breaks_the_xml_is_a_located_error(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["Trước {{ header }} sau"])  # a table inside a run
    with pytest.raises(DiagnosticError) as info:
        quyche.render(document_using(tmp_path, "mau.docx"))
    assert [d.code for d in info.value.diagnostics] == ["mau-word-loi"]


def test_undefined_variable_is_located_by_paragraph_and_cell(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["Mở đầu"], table=[["Ô một", "Kính gửi {{ khong_co }}"]])
    with pytest.raises(DiagnosticError) as info:
        quyche.render(document_using(tmp_path, "mau.docx"))
    (d,) = info.value.diagnostics
    assert d.code == "mau-word-loi"
    assert "Kính gửi {{ khong_co }}" in d.message and "bảng 1, dòng 1, ô 2" in d.message


def test_template_path_is_confined_to_the_documents_folders(tmp_path: Path) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    make_template(tmp_path / "mau.docx", ["{{ so_ky_hieu }}"])  # two folders up: outside
    with pytest.raises(DiagnosticError) as info:
        quyche.render(document_using(inner, "../../mau.docx"))
    assert info.value.diagnostics[0].code == "duong-dan-ngoai-thu-muc"


def test_pdf_is_not_made_from_the_built_in_layout(tmp_path: Path) -> None:
    (tmp_path / "mau.docx").write_bytes(starter_docx("giay_moi", "dang"))
    result = quyche.render(document_using(tmp_path, "mau.docx"), formats=("docx", "pdf"))
    assert set(result.outputs) == {"docx"}
    assert [w.code for w in result.warnings] == ["mau-word-khong-pdf"]
    Document(io.BytesIO(result.outputs["docx"]))


def test_header_lines_per_body_of_a_joint_document(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["{%p for b in dau_trang %}", "{{ b.dong|join(' / ') }}", "{%p endfor %}"])
    doc_path = document_using(tmp_path, "mau.docx", source=ROOT / "data" / "quy-che-lam-dong-2016.yaml")
    out = reopen(quyche.render(doc_path).outputs["docx"])
    assert [p.text for p in out.paragraphs] == ["TỈNH ỦY LÂM ĐỒNG / BAN TUYÊN GIÁO", "ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG"]


def test_footnotes_are_filled_too(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["{{ so_ky_hieu }}"])
    with zipfile.ZipFile(tmp_path / "mau.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/footnotes.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Kèm theo {{ so_ky_hieu }} &amp; {{ su_kien }}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    (tmp_path / "mau.docx").write_bytes(buf.getvalue())
    out = quyche.render(document_using(tmp_path, "mau.docx")).outputs["docx"]
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        notes = z.read("word/footnotes.xml").decode()
    assert "Kèm theo Số 05-GM/BTGHU &amp; Lễ ký kết Chương trình" in notes

"""Documents nobody designed for the checker: python-docx's blank template (theme fonts, Letter paper, no
header table), a header typed as plain paragraphs, an empty body, a blank PDF page. Each is read without a
crash and judged by what it shows."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from quyche.check import check_file


def test_plain_paragraph_header_and_theme_fonts(tmp_path: Path) -> None:
    doc = Document()  # python-docx's template: Letter, theme fonts (Calibri/Cambria), 11 pt
    for text in ("ỦY BAN NHÂN DÂN", "Số: 5/QC-UBND", "Nơi nhận:", "- Lưu VT."):
        doc.add_paragraph(text)
    path = tmp_path / "go-tay.docx"
    doc.save(str(path))
    result = check_file(path)
    rules = {f.rule for f in result.findings}
    assert {"page.paper_mm", "header.quoc_hieu.text", "number.zero_pad", "size.so", "noi_nhan.luu"} <= rules
    fonts = [f.message for f in result.findings if f.rule == "font.family"]
    assert fonts and all("Times New Roman" in m and "Times New Roman," not in m for m in fonts)


def test_empty_docx_and_blank_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    Document().save(str(tmp_path / "trong.docx"))
    writer = PdfWriter()
    writer.add_blank_page(595.28, 841.89)
    with open(tmp_path / "trang-trang.pdf", "wb") as fh:
        writer.write(fh)
    for name in ("trong.docx", "trang-trang.pdf"):
        result = check_file(tmp_path / name)
        assert result.failure is None
        assert "header.quoc_hieu.text" in {f.rule for f in result.findings}

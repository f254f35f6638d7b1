"""PDF renderer (render/pdf.py): every example as PDF/A with the same blocks, text and order as its .docx,
A4, embedded Times-metric font, page numbers from page 2 of each section, one signature field per signer."""

from __future__ import annotations

import copy
import io
import os
import re
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.table import Table as DocxTable
from pypdf import PdfReader

from quyche.model import Document, Para, Run, Section
from quyche.pipeline import build
from quyche.render import get_renderer
from quyche.render.docx import DocxRenderer

from conftest import example_files

pdf = pytest.importorskip("quyche.render.pdf")
pdf_fonts = pytest.importorskip("quyche.render.pdf_fonts")

MM = 72 / 25.4  # pt per mm
A4_PT = (210 * MM, 297 * MM)
EXAMPLES = example_files()

try:
    FONTS = pdf.find_fonts()
except pdf.FontNotFoundError:
    FONTS = None
# `make test` as root installs the system packages (scripts/install-system.sh: fonts-liberation2 too)
REQUIRED = os.environ.get("QUYCHE_REQUIRE_LIBREOFFICE") == "1"
needs_fonts = pytest.mark.skipif(
    FONTS is None and not REQUIRED, reason="Liberation Serif missing (apt-get install fonts-liberation2)"
)


# -- helpers ---------------------------------------------------------------------------------------------
def norm(text: str) -> str:
    return " ".join(text.split())


def docx_paragraph_texts(data: bytes) -> list[str]:
    """Non-empty paragraph texts of a .docx in reading order, table cells row by row (python-docx)."""
    out: list[str] = []

    def walk(container) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, DocxTable):
                for row in item.rows:
                    seen = []  # a cell spanning grid columns is listed once per column
                    for cell in row.cells:
                        if not any(cell._tc is tc for tc in seen):
                            seen.append(cell._tc)
                            walk(cell)
            elif item.text.strip():
                out.append(item.text)

    walk(open_docx(io.BytesIO(data)))
    return out


def text_items(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on a PDF page, y from the bottom edge."""
    items: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            items.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return items


def header_text(page, margin_top_mm: float) -> str:
    """The text in the top margin of a page (where the page number goes)."""
    top = float(page.mediabox.top)
    return norm(" ".join(t for _, y, t in text_items(page) if y > top - margin_top_mm * MM))


def body_text(reader: PdfReader, margin_top_mm: float) -> str:
    """All pages' text without the page numbers in the top margin, whitespace collapsed."""
    parts = []
    for page in reader.pages:
        lines = page.extract_text().split("\n")
        number = header_text(page, margin_top_mm)
        if number and lines and lines[-1].strip() == number:
            lines = lines[:-1]
        elif number and lines and lines[0].strip() == number:
            lines = lines[1:]
        parts.append("\n".join(lines))
    return norm("\n".join(parts))


def sig_widgets(reader: PdfReader) -> list[tuple[int, dict]]:
    out = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                out.append((index, annot))
    return out


# -- fixtures --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def rendered(request):
    if FONTS is None and not REQUIRED:
        pytest.skip("Liberation Serif missing (apt-get install fonts-liberation2)")
    path: Path = request.param
    document = build(path).document
    docx = DocxRenderer().render(document)
    data = pdf.PdfRenderer().render(document)
    return document, docx, data, PdfReader(io.BytesIO(data))


@pytest.fixture
def fresh_fonts():
    """Drop the per-process font/CSS cache before and after a test that changes the font lookup."""
    pdf._resources.cache_clear()
    yield
    pdf._resources.cache_clear()


def _margin_top(document: Document) -> float:
    return document.sections[0].page.margin_top_mm


# -- every example ---------------------------------------------------------------------------------------
def test_fonts_present_when_required() -> None:
    assert not REQUIRED or FONTS is not None, pdf.FONT_MISSING_MESSAGE


def test_is_a_pdf_a4(rendered) -> None:
    _, _, data, reader = rendered
    assert data.startswith(b"%PDF-")
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4_PT[0], abs=0.5)
        assert float(box.height) == pytest.approx(A4_PT[1], abs=0.5)


def test_fonts_embedded_times_metric(rendered) -> None:
    _, _, _, reader = rendered
    seen = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            seen.append(str(font["/BaseFont"]))
    assert seen
    assert all(re.search(r"Liberation|Times|Tinos", name) for name in seen), seen


def test_first_line_of_the_header(rendered) -> None:
    """The Quốc hiệu or the Party tiêu đề, whole on one line (the-thuc §6 item 5)."""
    _, _, _, reader = rendered
    lines = [norm(line) for line in reader.pages[0].extract_text().split("\n")]
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line or "ĐẢNG CỘNG SẢN VIỆT NAM" in line for line in lines), (
        lines[:8]
    )


def test_same_paragraphs_in_the_same_order_as_the_docx(rendered) -> None:
    document, docx, _, reader = rendered
    expected = [norm(t) for t in docx_paragraph_texts(docx)]
    assert expected == [norm(t) for t in document.plain_text()]  # the .docx says what the model says
    text = body_text(reader, _margin_top(document))
    pos = 0
    for para in expected:
        found = text.find(para, pos)
        assert found >= 0, f"missing or out of order in the PDF: {para!r}\n…{text[pos : pos + 200]}…"
        pos = found + len(para)


def test_page_numbers_from_page_two(rendered) -> None:
    document, _, _, reader = rendered
    headers = [header_text(page, _margin_top(document)) for page in reader.pages]
    assert headers[0] == "", "page 1 shows no number (NĐ 30/2020, Phụ lục I, I.7)"
    if len(headers) > 1 and len(document.sections) == 1:
        assert headers[1] == "2"
    # each section (the text, a decision's regulation, each appendix) counts from 1 and hides its first number
    expected, starts = 1, 1
    for h in headers[1:]:
        if h == "":
            expected, starts = 1, starts + 1
        else:
            expected += 1
            assert h == str(expected), headers
    assert starts <= len(document.sections), headers


def test_one_signature_field_per_signer(rendered) -> None:
    document, _, _, reader = rendered
    fields = {name: f for name, f in (reader.get_fields() or {}).items() if f.get("/FT") == "/Sig"}
    assert len(fields) == len(document.signers) >= 1
    widgets = sig_widgets(reader)
    assert len(widgets) == len(document.signers)
    for index, annot in widgets:
        page = reader.pages[index]
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
        assert 0 <= x1 < x2 <= float(page.mediabox.width) and 0 <= y1 < y2 <= float(page.mediabox.height)
        assert x2 - x1 >= 30 * MM and y2 - y1 >= 15 * MM, (x2 - x1, y2 - y1)
        assert int(annot["/F"]) & 4, "printable (PDF/A)"
        assert "/AP" in annot


def test_signature_field_lies_over_its_signer(rendered) -> None:
    """Each field covers its signer's name and first title line, and no other signer's name."""
    document, _, _, reader = rendered
    widgets = {str(annot.get("/T")): (index, annot) for index, annot in sig_widgets(reader)}
    for signer in document.signers:
        name = next(n for n in widgets if n.startswith(pdf.ascii_fold(signer.id)))
        index, annot = widgets[name]
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
        items = text_items(reader.pages[index])
        inside = [(y, t) for x, y, t in items if x1 <= x <= x2 and y1 <= y <= y2]
        joined = norm(" ".join(t for _, t in inside))
        assert signer.ho_ten in joined
        if signer.lines:
            assert signer.lines[0] in joined
        # tight: the block's first line starts at the top of the field, the name ends at its bottom
        top_line = max(y for y, _ in inside)
        name_line = min(y for y, t in inside if signer.ho_ten in norm(t))
        assert y2 - top_line < 10 * MM and name_line - y1 < 8 * MM, (y1, y2, top_line, name_line)
        for other in document.signers:
            if other.ho_ten != signer.ho_ten:
                assert other.ho_ten not in joined


def test_pdfa_metadata(rendered) -> None:
    document, _, _, reader = rendered
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "vi-VN"
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    info = reader.metadata
    meta = document.meta  # title = type name + trích yếu, author = the issuing body (as the .docx)
    assert info.title == f"{meta.type_name} {meta.subject}".strip() and info.author == meta.organ_name
    assert info.creation_date.date().isoformat() == meta.issued_date
    producer = re.search(r'pdf:Producer="([^"]*)"', xmp)
    assert producer and info.producer == producer.group(1), "Info and XMP agree (PDF/A)"


# -- one document, special cases -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def bac_ninh() -> Document:
    return build(Path(__file__).resolve().parents[2] / "data" / "quy-che-bac-ninh-2025.yaml").document


@needs_fonts
def test_each_section_numbers_its_own_pages(bac_ninh: Document) -> None:
    """An appendix starts a new page, shows no number there, and counts again from 1 (Phụ lục I, III.1.đ)."""
    document = copy.deepcopy(bac_ninh)
    appendix = document.sections[-1]
    assert appendix.restart_numbering
    filler = next(p for p in appendix.blocks if isinstance(p, Para) and p.role == "doan")
    appendix.blocks.extend(copy.deepcopy(filler) for _ in range(60))  # two pages or more
    reader = PdfReader(io.BytesIO(pdf.PdfRenderer(signature_fields=False).render(document)))
    headers = [header_text(page, _margin_top(document)) for page in reader.pages]
    first_of_appendix = next(i for i, p in enumerate(reader.pages) if norm(p.extract_text()).startswith("Phụ lục"))
    assert first_of_appendix >= 1
    assert headers[:first_of_appendix] == ["", *[str(n) for n in range(2, first_of_appendix + 1)]]
    rest = headers[first_of_appendix:]
    assert len(rest) >= 2
    assert rest == ["", *[str(n) for n in range(2, len(rest) + 1)]]


@needs_fonts
def test_text_is_escaped_never_evaluated(bac_ninh: Document) -> None:
    document = copy.deepcopy(bac_ninh)
    nasty = "A & B <b>đậm</b> ]]> {{ x }} {% if 1 %}y{% endif %} <!-- c --> &amp; \"q\" 'a'"
    para = next(p for p in document.iter_paras() if p.role == "doan")
    para.runs = [Run(nasty)]
    html = pdf.document_html(document)
    assert "<b>đậm</b>" not in html and "&lt;b&gt;đậm&lt;/b&gt;" in html
    reader = PdfReader(io.BytesIO(pdf.PdfRenderer(signature_fields=False).render(document)))
    assert norm(nasty) in norm(" ".join(page.extract_text() for page in reader.pages))


@needs_fonts
def test_word_wider_than_the_page_wraps_inside_the_margins(bac_ninh: Document, case) -> None:
    """A 5 000-character word with no break opportunity (a pasted link, a hash) is broken at the margin, as
    Word and LibreOffice do with the .docx: nothing runs off the page, no character is lost."""
    case("văn bản", "từ 5 000 ký tự không chỗ ngắt, trong PDF", "xuống dòng trong lề trang, đủ 5 000 ký tự")
    document = copy.deepcopy(bac_ninh)
    word = "x" * 5000
    para = next(p for p in document.iter_paras() if p.role == "doan")
    para.runs = [Run("Địa chỉ: " + word)]
    reader = PdfReader(io.BytesIO(pdf.PdfRenderer(signature_fields=False).render(document)))
    margin = document.sections[0].page
    left, right = margin.margin_left_mm * MM, float(reader.pages[0].mediabox.width) - margin.margin_right_mm * MM
    runs = []
    for page in reader.pages:
        for x, _, text in text_items(page):
            runs += [(x, len(r)) for r in re.findall(r"x{20,}", text)]
    assert sum(n for _, n in runs) == 5000
    assert len(runs) > 5000 * 7 / (right - left)  # 14-pt "x" is 7 pt wide: one line holds at most ~65
    for x, n in runs:
        assert left - 1 <= x and x + n * 7 * 0.9 <= right + 1, (x, n)


@needs_fonts
def test_signature_fields_can_be_left_out(bac_ninh: Document) -> None:
    reader = PdfReader(io.BytesIO(pdf.PdfRenderer(signature_fields=False).render(bac_ninh)))
    assert not reader.get_fields()


def test_registered_as_format() -> None:
    renderer = get_renderer("pdf")
    assert isinstance(renderer, pdf.PdfRenderer) and renderer.extension == "pdf"


@needs_fonts
def test_fonts_css_and_config_made_once(bac_ninh: Document) -> None:
    """Batches render many documents: the font lookup, FontConfiguration and parsed CSS are reused."""
    renderer = pdf.PdfRenderer()
    first = renderer.render(bac_ninh)
    resources = pdf._resources()
    misses = pdf._resources.cache_info().misses
    second = renderer.render(bac_ninh)
    assert pdf._resources.cache_info().misses == misses
    assert pdf._resources() is resources
    a, b = PdfReader(io.BytesIO(first)), PdfReader(io.BytesIO(second))
    assert len(a.pages) == len(b.pages)
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]


def test_missing_font_is_a_clear_error(bac_ninh: Document, monkeypatch, fresh_fonts) -> None:
    monkeypatch.setattr(pdf_fonts, "_locate_face", lambda family, index: None)
    with pytest.raises(pdf.FontNotFoundError, match="apt-get install fonts-liberation2"):
        pdf.PdfRenderer().render(bac_ninh)


def test_font_lookup_checks_vietnamese_coverage(monkeypatch, tmp_path, fresh_fonts) -> None:
    """A file that is not a font (or lacks Vietnamese letters) is never taken."""
    fake = tmp_path / "LiberationSerif-Regular.ttf"
    fake.write_bytes(b"not a font")
    monkeypatch.setattr(pdf_fonts, "_fc_match", lambda family, bold, italic: fake)
    monkeypatch.setattr(pdf_fonts, "_known_paths", lambda family, index: iter(()))
    with pytest.raises(pdf.FontNotFoundError):
        pdf.find_fonts()


@needs_fonts
def test_found_font_covers_vietnamese() -> None:
    fonts = pdf.find_fonts()
    assert len(fonts.faces) == 4
    assert {(f.weight, f.style) for f in fonts.faces} == {
        ("normal", "normal"),
        ("bold", "normal"),
        ("normal", "italic"),
        ("bold", "italic"),
    }
    assert 1.0 < fonts.line_factor < 1.3


@needs_fonts
def test_empty_document_section_still_renders(bac_ninh: Document) -> None:
    """A section that is only a short paragraph still gets its own page."""
    document = copy.deepcopy(bac_ninh)
    page = document.sections[0].page
    document.sections.append(Section([Para("doan", [Run("Trang riêng")], 14.0)], page, restart_numbering=True))
    reader = PdfReader(io.BytesIO(pdf.PdfRenderer(signature_fields=False).render(document)))
    assert norm(reader.pages[-1].extract_text()) == "Trang riêng"

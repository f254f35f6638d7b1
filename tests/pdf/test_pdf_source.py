"""The PDF renderer reads the document's HTML with expat and hands its <style> over as a parsed stylesheet
(render/pdf_source.py). That must not move a single word: every example of data/ and generated quy chế of
joint bodies (several pages, the longest headers) are rendered both ways — WeasyPrint's HTML5 parser with the
<style> in place, and quyche's fast path — and read back with pdftotext: the same words at the same places on
the same pages, the same bookmarks."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from quyche.pipeline import build

from conftest import example_files
from layout.corpus import joint

pdf = pytest.importorskip("quyche.render.pdf")
pdf_source = pytest.importorskip("quyche.render.pdf_source")

EXAMPLES = [p for p in example_files() if "\nmau_word:" not in p.read_text(encoding="utf-8")]
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def placed_words(data: bytes, tmp: Path) -> list[tuple]:
    """(page, x0, y0, x1, y1, text) of every word, read back by poppler."""
    path = tmp / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [
        (page, *(round(float(m[i]), 2) for i in range(1, 5)), html.unescape(m[5]))
        for page, body in enumerate(out.split("<page ")[1:], start=1)
        for m in WORD.finditer(body)
    ]


def outline(data: bytes) -> list[str]:
    def titles(items) -> list[str]:
        return [t for i in items for t in (titles(i) if isinstance(i, list) else [i.title])]

    return titles(PdfReader(io.BytesIO(data)).outline)


def sources() -> list[Path]:
    return EXAMPLES


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    work = tmp_path_factory.mktemp("quy-che")
    return [case.write(work) for case in joint(count=40, seed=5)[:6]]


def _same_both_ways(source: Path, tmp: Path) -> None:
    document = build(source).document
    fast = pdf.PdfRenderer().render(document)
    html5 = pdf.PdfRenderer(fast_source=False).render(document)
    words = placed_words(fast, tmp)
    assert len(words) > 20, source.name
    assert words == placed_words(html5, tmp), source.name
    assert outline(fast) == outline(html5), source.name


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing (scripts/install-system.sh)")
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_laid_out_the_same_by_both_readers(source: Path, tmp_path: Path) -> None:
    _same_both_ways(source, tmp_path)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing (scripts/install-system.sh)")
def test_generated_joint_documents_are_laid_out_the_same_by_both_readers(generated, tmp_path: Path) -> None:
    for source in generated:
        _same_both_ways(source, tmp_path)


def test_the_template_writes_markup_expat_reads(generated) -> None:
    """The fast path is the one taken: no example or generated document falls back to the HTML5 parser."""
    for source in [*EXAMPLES, *generated]:
        text = pdf.document_html(build(source).document)
        html_doc = pdf_source.DocumentHTML(text)
        assert html_doc.own_css, source.name  # the <style> was taken out of the tree and parsed
        assert html_doc.etree_element.find("head/style") is None


def test_markup_expat_refuses_still_renders() -> None:
    """A void element left open is HTML, not XML: the HTML5 parser reads it and its <style> still applies."""
    text = (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><style>p.x { font-size: 30pt }</style></head>"
        "<body><p class='x'>Trích<br>yếu</p></body></html>"
    )
    html_doc = pdf_source.DocumentHTML(text)
    assert html_doc.own_css == []
    rendered = html_doc.render(font_config=pdf._resources().font_config)
    lines = rendered.pages[0]._page_box.descendants()
    texts = [b.text for b in lines if hasattr(b, "text")]
    assert texts == ["Trích", "yếu"]
    sizes = {b.style["font_size"] for b in rendered.pages[0]._page_box.descendants() if hasattr(b, "text")}
    assert sizes == {40.0}  # 30pt in CSS px: the document's own <style> applied

"""How the PDF renderer writes a file (render/pdf.py, pdf_meta.py): the PDF/A file identifier written after the
file, and the garbage collector held back during a render — safe because a render makes no reference cycles."""

from __future__ import annotations

import gc
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from quyche.model import Document
from quyche.pipeline import build

from conftest import example_files, skip_module_without_pdf_fonts

pdf = pytest.importorskip("quyche.render.pdf")

skip_module_without_pdf_fonts(pdf)

EXAMPLES = example_files()


@pytest.fixture(scope="module")
def bac_ninh() -> Document:
    return build(Path(__file__).resolve().parents[2] / "data" / "quy-che-bac-ninh-2025.yaml").document


def test_file_identifier_is_the_hash_of_the_file(bac_ninh: Document) -> None:
    """PDF/A-2 requires a trailer /ID (ISO 19005-2, 6.1.3): quyche writes it after the file, as the MD5 of the
    file without it, so the same input gives the same bytes."""
    data = pdf.PdfRenderer().render(bac_ninh)
    first, second = (x.original_bytes for x in PdfReader(io.BytesIO(data)).trailer["/ID"])
    assert first == second and len(first) == 16
    mark = b" /ID [<" + first.hex().encode() + b"> <" + second.hex().encode() + b">]"
    assert data.count(mark) == 1
    assert hashlib.md5(data.replace(mark, b"")).digest() == first
    assert pdf.PdfRenderer().render(bac_ninh) == data


def test_collector_thresholds_come_back_after_concurrent_renders(bac_ninh: Document) -> None:
    """The renderer collects garbage less often while it runs (render/pdf.py); two renders at once in two
    threads leave the process's thresholds as they found them."""
    before = gc.get_threshold()
    gc.set_threshold(777, 11, 12)
    try:
        with ThreadPoolExecutor(2) as pool:
            outputs = list(pool.map(lambda _: pdf.PdfRenderer().render(bac_ninh), range(4)))
        assert gc.get_threshold() == (777, 11, 12)
        assert len(set(outputs)) == 1
    finally:
        gc.set_threshold(*before)


def test_a_render_leaves_no_cyclic_garbage(bac_ninh: Document) -> None:
    """Why the renderer may collect garbage seldom while it runs: rendering any example makes no reference
    cycles, so everything a render made is freed as it goes, and a full collection afterwards finds nothing."""
    renderer = pdf.PdfRenderer()
    renderer.render(bac_ninh)
    gc.collect()
    for path in EXAMPLES:
        if "\nmau_word:" in path.read_text(encoding="utf-8"):
            continue  # laid out by its own Word template: no PDF of the built-in layout
        document = build(path).document
        gc.collect()
        renderer.render(document)
        assert gc.collect() == 0, path.name

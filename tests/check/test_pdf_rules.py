"""What only a PDF shows, planted in quyche's own PDFs (pdf_flaws.py) and found under its exact rule id with
nothing else reported; and page numbers of pages 2+ read from a PDF's top band, in PDFs LibreOffice lays out
from .docx files whose number a clerk removed, moved or turned to Roman numerals (flaws.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import convert, need_soffice, rendered, workdir
from pdf_flaws import PDF_FLAWS

from quyche.check import check_file

from conftest import example_files

EXAMPLES = [p.stem for p in example_files()]


@pytest.mark.parametrize("flaw", sorted(PDF_FLAWS))
@pytest.mark.parametrize("name", EXAMPLES)
def test_planted_pdf_flaw_is_found_with_its_rule(name: str, flaw: str) -> None:
    source = rendered()[name].get("pdf")
    if source is None:
        pytest.skip("mau_word: .docx only")
    out = workdir() / "pdf-flaws" / f"{name}-{flaw}.pdf"
    out.parent.mkdir(exist_ok=True)
    rule = PDF_FLAWS[flaw](source, out)
    if rule is None:
        pytest.skip(f"{name} has nothing to plant {flaw} on")
    result = check_file(out)
    assert result.failure is None, result.failure
    assert {f.rule for f in result.findings} == {rule}, [(f.rule, f.where, f.message) for f in result.findings]


PAGE_FLAWS = ("page_number_removed", "page_number_left", "page_number_roman")


def test_page_numbers_read_from_pdf_pages() -> None:
    """The .docx flaws of the page number, laid out by LibreOffice: each found in the PDF by its top band."""
    need_soffice()
    from docx import Document
    from flaws import FLAWS

    folder = workdir() / "page-numbers"
    folder.mkdir(exist_ok=True)
    planted: dict[str, str] = {}
    for name in ("quy-che-lam-dong-2016", "quy-che-dak-lak-2017"):
        source = rendered()[name]["docx"]
        system = check_file(source).ident.lead
        for flaw in PAGE_FLAWS:
            doc = Document(str(source))
            rule = FLAWS[flaw](doc, system)
            assert rule is not None
            doc.save(str(folder / f"{name}-{flaw}.docx"))
            planted[f"{name}-{flaw}"] = rule
    convert(sorted(folder / f"{n}.docx" for n in planted), "pdf", folder / "pdf")
    found = {n: {f.rule for f in check_file(folder / "pdf" / f"{n}.pdf").findings} for n in planted}
    assert found == {n: {rule} for n, rule in planted.items()}

"""Another producer: documents authored from scratch as LibreOffice holds them (.fodt, lo_corpus.py) and
converted by ``soffice --headless`` to .docx and PDF. Clean ones check clean; each planted flaw is found with
its exact rule id, in the .docx and in LibreOffice's PDF (except where a PDF cannot show it); ``--sua`` fixes
the safe ones. And quyche's own .docx laid out by LibreOffice as PDF checks clean too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import convert, libreoffice, need_soffice, rendered, workdir
from lo_corpus import FIXABLE, PDF_BLIND, corpus

from quyche.check import check_file
from quyche.check.fixes import apply_fixes

CORPUS = corpus()
# In a PDF an underline and a drawn line are the same stroke: an underlined motto with no line of its own
# looks right (the .docx shows the difference); a PDF has no paragraphs whose indent or spacing it could show
# (lo_corpus.PDF_BLIND).


def _rules(path: Path) -> set[str]:
    result = check_file(path)
    assert result.failure is None, result.failure
    return {f.rule for f in result.findings}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_libreoffice_document(name: str, fmt: str) -> None:
    need_soffice()
    _system, flaw, rule = CORPUS[name]
    path = libreoffice()[name][fmt]
    if fmt == "pdf" and flaw in PDF_BLIND:
        assert _rules(path) == set()
        return
    assert _rules(path) == ({rule} if rule else set())


@pytest.mark.parametrize("name", sorted(n for n, (_s, flaw, _r) in CORPUS.items() if flaw in FIXABLE))
def test_libreoffice_document_fixed(name: str) -> None:
    need_soffice()
    result = check_file(libreoffice()[name]["docx"])
    data, applied = apply_fixes(result)
    assert applied
    fixed = workdir() / "lo" / f"{name}-da-sua.docx"
    fixed.write_bytes(data)
    again = check_file(fixed)
    assert again.clean, [(f.rule, f.message) for f in again.findings]


def test_quyche_docx_laid_out_by_libreoffice_checks_clean() -> None:
    need_soffice()
    out = workdir() / "lo-of-quyche"
    docs = [str(item["docx"]) for item in rendered().values()]
    convert(docs, "pdf", out)
    found = {Path(d).stem: _rules(out / (Path(d).stem + ".pdf")) for d in docs}
    assert found == {name: set() for name in found}


def test_fixed_files_open_in_libreoffice_and_its_pdf_checks_clean() -> None:
    """The real-client proof of --sua: LibreOffice lays out each fixed .docx (a State and a Party example, every
    fixable flaw) and the PDF it makes checks clean — the drawn line, fonts, sizes, margins are really there."""
    need_soffice()
    from docx import Document
    from flaws import FIXABLE as DOCX_FIXABLE
    from flaws import FLAWS

    folder = workdir() / "fixed-lo"
    folder.mkdir(exist_ok=True)
    fixed = []
    for name in ("quy-che-hoa-binh-2019", "quy-che-quang-tri-2023"):
        source = rendered()[name]["docx"]
        system = check_file(source).ident.lead
        for flaw in sorted(DOCX_FIXABLE):
            doc = Document(str(source))
            if FLAWS[flaw](doc, system) is None:
                continue
            path = folder / f"{name}-{flaw}.docx"
            doc.save(str(path))
            data, _ = apply_fixes(check_file(path))
            target = folder / f"{name}-{flaw}-da-sua.docx"
            target.write_bytes(data)
            fixed.append(target)
    convert(fixed, "pdf", folder / "pdf")
    found = {p.stem: _rules(folder / "pdf" / f"{p.stem}.pdf") for p in fixed}
    assert len(found) >= 20
    assert found == {name: set() for name in found}

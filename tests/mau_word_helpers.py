"""Word templates for the tests, written with python-docx as a clerk would in Word."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[1]
GIAY_MOI = ROOT / "data" / "giay-moi-tien-lu-2019.yaml"


def make_template(
    path: Path,
    body: list[str],
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    table: list[list[str]] | None = None,
) -> Path:
    doc = Document()
    for text in body:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer
    if title is not None:
        doc.core_properties.title = title
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def document_using(folder: Path, template: str, source: Path = GIAY_MOI, extra: str = "") -> Path:
    """A copy of an example document in ``folder`` that names ``template`` as its mau_word."""
    rosters = folder / "co-quan"
    if not rosters.exists():  # examples name their roster relative to their folder
        shutil.copytree(ROOT / "data" / "co-quan", rosters)
    text = source.read_text(encoding="utf-8") + f"\nmau_word: {template}\n" + extra
    out = folder / source.name
    out.write_text(text, encoding="utf-8")
    return out


def reopen(data: bytes):
    return Document(io.BytesIO(data))

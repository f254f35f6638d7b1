"""python-docx helpers shared by the flaw planters (flaws.py, flaws_more.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def paragraphs(doc: DocxDocument) -> Iterator[Paragraph]:
    for p in doc.element.body.iter(qn("w:p")):
        yield Paragraph(p, doc)


def find(doc: DocxDocument, pattern: str) -> Paragraph | None:
    rx = re.compile(pattern)
    return next((p for p in paragraphs(doc) if rx.search(p.text)), None)


def set_text(p: Paragraph, text: str) -> None:
    runs = [r for r in p.runs if r.text]
    runs[0].text = text
    for r in runs[1:]:
        r.text = ""

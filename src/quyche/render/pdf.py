"""PDF renderer: the composed model → Jinja2 HTML + CSS → WeasyPrint → PDF/A-2b (design.md §4).

The .docx renderer (render/docx.py) is the reference; this one places the same blocks with the same
geometry, so the two files of one input say the same thing in the same places:

- A4 and the profile's margins on a named page per Section; each Section after the first starts a new
  page; an appendix restarts its numbering at 1 (NĐ 30/2020, Phụ lục I, I.1, I.3; III.1.đ).
- Page numbers centred in the top margin, ``header_mm`` from the edge, hidden on the first page of
  each Section (Phụ lục I, I.7) — ``@page :nth(1 of sN)``.
- Rule lines are CSS borders exactly ``length_mm`` long, centred in their container (the-thuc §6
  item 6): never underscores.
- Tables keep their column widths in mm, Word's 1.9 mm cell margins and the header table's negative
  indent (ND30-PL3 templates, the-thuc §1.4).
- One Times-New-Roman-metric face with full Vietnamese coverage (Liberation Serif), embedded; if none is
  found the renderer stops with a message saying what to install, never with tofu boxes (§6 item 2).
- One empty signature field (AcroForm /Sig) per signer, placed over that signer's block, so that the
  file can be signed digitally where the ink signature would go (ô 7c, Phụ lục I, II.7).

The font lookup, the parsed static CSS and WeasyPrint's FontConfiguration are made once per process
and reused: a batch renders many documents.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..model import Document
from .pdf_fields import PX_TO_PT, SignatureBox, ascii_fold, field_name, obj, signature_boxes, signature_fields
from .pdf_fonts import FONT_MISSING_MESSAGE, VIETNAMESE, FontFace, FontNotFoundError, FontSet, find_fonts
from .pdf_html import TEMPLATES, _resources, document_html, environment, stylesheet_text
from .pdf_meta import add_to_packet, with_file_id
from .pdf_source import DocumentHTML

__all__ = [
    "DEFAULT_VARIANT",
    "FONT_MISSING_MESSAGE",
    "PX_TO_PT",
    "TEMPLATES",
    "VIETNAMESE",
    "FontFace",
    "FontNotFoundError",
    "FontSet",
    "PdfRenderer",
    "SignatureBox",
    "_resources",
    "ascii_fold",
    "document_html",
    "environment",
    "field_name",
    "find_fonts",
    "signature_boxes",
    "signature_fields",
    "stylesheet_text",
]

DEFAULT_VARIANT = "pdf/a-2b"


# -- the cyclic garbage collector during a render ------------------------------------------------------------
# WeasyPrint allocates hundreds of thousands of boxes, styles and PDF objects per document and no cyclic garbage
# (none in any example: tests/pdf/test_pdf_writing.py). At Python's default first threshold (700 allocations) the
# collector runs about six times a page and takes a fourteenth of the PDF time (bench/run.py) to find nothing.
# During a render it runs every 100,000 allocations instead — still a safety net should a document ever make
# cycles; the thresholds are put back when the last render running in the process ends.
_GC_THRESHOLD = 100_000
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    global _gc_renders, _gc_saved
    with _gc_lock:
        if _gc_renders == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_GC_THRESHOLD, _gc_saved[0]), *_gc_saved[1:])
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0:
                gc.set_threshold(*_gc_saved)


class PdfRenderer:
    extension = "pdf"

    def __init__(
        self,
        signature_fields: bool = True,
        pdf_variant: str | None = DEFAULT_VARIANT,
        tagged: bool = True,
        small_ua: bool = True,
        fast_source: bool = True,
    ) -> None:
        self.signature_fields = signature_fields
        self.pdf_variant = pdf_variant
        self.tagged = tagged  # structure tree for screen readers and reflow (WeasyPrint's pdf_tags)
        self.small_ua = small_ua  # False only to measure WeasyPrint's own user-agent stylesheet (bench/run.py)
        # False only to measure WeasyPrint's HTML5 parser and in-document <style> (bench/run.py, pdf_source.py)
        self.fast_source = fast_source

    def render(self, document: Document) -> bytes:
        return self.render_with_places(document)[0]

    def render_with_places(self, document: Document) -> tuple[bytes, list[SignatureBox], int]:
        """The PDF, the signature places written into it and its page count (for the sidecar JSON)."""
        with _fewer_collections():
            return self._render(document)

    def _render(self, document: Document) -> tuple[bytes, list[SignatureBox], int]:
        res = _resources()
        html = DocumentHTML(document_html(document), html5=not self.fast_source, small_ua=self.small_ua)
        options = {"pdf_variant": self.pdf_variant, "pdf_tags": self.tagged}
        sheets = [res.stylesheet, *html.own_css]  # the document's own rules after the static ones
        rendered = html.render(stylesheets=sheets, font_config=res.font_config, **options)
        boxes = signature_boxes(rendered, document) if self.signature_fields else []
        pages = len(rendered.pages)
        fields = signature_fields(boxes)

        def finish(doc, pdf) -> None:
            fields(doc, pdf)
            if "Metadata" in pdf.catalog:  # PDF/A: the XMP packet WeasyPrint wrote (pdf_meta.py)
                stream = obj(pdf, pdf.catalog["Metadata"])
                stream.stream[:] = [add_to_packet(b"".join(stream.stream), document.meta, pages)]

        if not self.pdf_variant:
            return rendered.write_pdf(finisher=finish, **options), boxes, pages
        return with_file_id(rendered.write_pdf(finisher=finish, pdf_identifier=False, **options)), boxes, pages


def __getattr__(name: str) -> object:
    """Any other name the PDF renderer had before it was split (``quyche.render.pdf._ParaStyles``, …) still
    resolves, from the module that now holds it."""
    from . import pdf_fields, pdf_fonts, pdf_html, pdf_meta

    for module in (pdf_html, pdf_fonts, pdf_fields, pdf_meta):
        if name in vars(module):
            return vars(module)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

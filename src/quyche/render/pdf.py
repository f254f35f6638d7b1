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

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ..model import Document
from .pdf_fields import PX_TO_PT, SignatureBox, ascii_fold, field_name, obj, signature_boxes, signature_fields
from .pdf_fonts import FONT_MISSING_MESSAGE, VIETNAMESE, FontFace, FontNotFoundError, FontSet, find_fonts
from .pdf_html import TEMPLATES, _resources, document_html, environment, stylesheet_text
from .pdf_meta import add_to_packet

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


class _DocumentHTML(HTML):
    """The document's HTML with quyche's small user-agent stylesheet (templates/pdf/ua.css): WeasyPrint's HTML5
    one matches 191 rule sets against every element, about a tenth of the render time (bench/run.py)."""

    def _ua_stylesheets(self, forms: bool = False) -> list:
        return [_resources().user_agent]


# -- renderer --------------------------------------------------------------------------------------------
_NO_FETCH = URLFetcher(allowed_protocols=())  # the HTML refers to nothing outside itself


class PdfRenderer:
    extension = "pdf"

    def __init__(
        self,
        signature_fields: bool = True,
        pdf_variant: str | None = DEFAULT_VARIANT,
        tagged: bool = True,
        small_ua: bool = True,
    ) -> None:
        self.signature_fields = signature_fields
        self.pdf_variant = pdf_variant
        self.tagged = tagged  # structure tree for screen readers and reflow (WeasyPrint's pdf_tags)
        self.small_ua = small_ua  # False only to measure WeasyPrint's own user-agent stylesheet (bench/run.py)

    def render(self, document: Document) -> bytes:
        return self.render_with_places(document)[0]

    def render_with_places(self, document: Document) -> tuple[bytes, list[SignatureBox], int]:
        """The PDF, the signature places written into it and its page count (for the sidecar JSON)."""
        res = _resources()
        html = (_DocumentHTML if self.small_ua else HTML)(string=document_html(document), url_fetcher=_NO_FETCH)
        options = {"pdf_variant": self.pdf_variant, "pdf_tags": self.tagged}
        rendered = html.render(stylesheets=[res.stylesheet], font_config=res.font_config, **options)
        boxes = signature_boxes(rendered, document) if self.signature_fields else []
        pages = len(rendered.pages)
        fields = signature_fields(boxes)

        def finish(doc, pdf) -> None:
            fields(doc, pdf)
            if "Metadata" in pdf.catalog:  # PDF/A: the XMP packet WeasyPrint wrote (pdf_meta.py)
                stream = obj(pdf, pdf.catalog["Metadata"])
                stream.stream[:] = [add_to_packet(b"".join(stream.stream), document.meta, pages)]

        return rendered.write_pdf(finisher=finish, **options), boxes, pages


def __getattr__(name: str) -> object:
    """Any other name the PDF renderer had before it was split (``quyche.render.pdf._ParaStyles``, …) still
    resolves, from the module that now holds it."""
    from . import pdf_fields, pdf_fonts, pdf_html, pdf_meta

    for module in (pdf_html, pdf_fonts, pdf_fields, pdf_meta):
        if name in vars(module):
            return vars(module)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Stage 5 — render: the composed model → bytes, one module per format behind one Protocol.

Renderers are imported lazily so that asking only for .docx never pays WeasyPrint's import.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from ..model import Document
from ..sidecar import Layout, places_from_boxes


class RenderError(RuntimeError):
    """A format cannot be produced on this machine (missing font, missing optional package); the message
    says what to install."""


class Renderer(Protocol):
    extension: str

    def render(self, document: Document) -> bytes: ...


_RENDERERS = {"docx": ("quyche.render.docx", "DocxRenderer"), "pdf": ("quyche.render.pdf", "PdfRenderer")}
FORMATS = tuple(_RENDERERS)


def get_renderer(fmt: str, **options: object) -> Renderer:
    module, name = _RENDERERS[fmt]
    try:
        return getattr(import_module(module), name)(**options)
    except ImportError as exc:  # the optional PDF stack is not installed
        raise RenderError(str(exc)) from exc


def render_formats(
    document: Document, formats: tuple[str, ...], template: object | None = None
) -> tuple[dict[str, bytes], Layout]:
    """The bytes of each format, and what the PDF's layout knows (page count, signature places) for the
    sidecar JSON (sidecar.py); without a PDF the layout is empty."""
    outputs: dict[str, bytes] = {}
    layout = Layout()
    for fmt in formats:
        options = {"template": template} if fmt == "docx" and template else {}
        renderer = get_renderer(fmt, **options)
        with_places = getattr(renderer, "render_with_places", None)
        if with_places is not None:
            data, boxes, pages = with_places(document)
            layout = Layout(pages, places_from_boxes(boxes))
        else:
            data = renderer.render(document)
        outputs[fmt] = data
    return outputs, layout

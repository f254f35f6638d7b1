"""Stage 5 — render: the composed model → bytes, one module per format behind one Protocol.

Renderers are imported lazily so that asking only for .docx never pays WeasyPrint's import.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from ..model import Document


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

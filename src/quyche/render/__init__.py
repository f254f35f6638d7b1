"""Stage 5 — render: the composed model → bytes, one module per format behind one Protocol.

Renderers are imported lazily so that asking only for .docx never pays WeasyPrint's import.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from ..model import Document


class Renderer(Protocol):
    extension: str

    def render(self, document: Document) -> bytes: ...


_RENDERERS = {"docx": ("quyche.render.docx", "DocxRenderer"), "pdf": ("quyche.render.pdf", "PdfRenderer")}
FORMATS = tuple(_RENDERERS)


def get_renderer(fmt: str, **options: object) -> Renderer:
    module, name = _RENDERERS[fmt]
    return getattr(import_module(module), name)(**options)

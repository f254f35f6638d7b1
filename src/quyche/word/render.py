"""A document with ``mau_word:`` rendered through its Word template (template.py) with the context of
context.py. The template is a file the document names: confined like every named file (files.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DiagnosticError
from ..files import InputFileError, resolve_named
from ..model import Document
from ..source import SourceMap


def template_path(ref: str, base_dir: Path | None, smap: SourceMap | None) -> Path:
    """The template a document names, resolved inside the document's folders; raises DiagnosticError."""
    where = smap.locate(("mau_word",)) if smap else None
    try:
        path = resolve_named(base_dir, ref, "mẫu Word")
    except InputFileError as exc:
        raise DiagnosticError([Diagnostic.make(exc.code, where, detail=exc.detail)]) from None
    if not path.is_file():
        raise DiagnosticError([Diagnostic.make("mau-word-loi", where, detail=f"không có tệp {ref!r}")])
    if path.suffix.lower() != ".docx":
        raise DiagnosticError([Diagnostic.make("mau-word-loi", where, detail=f"{ref!r} không phải tệp .docx")])
    return path


def render_word(data: Any, document: Document, base_dir: Path | None, smap: SourceMap | None) -> bytes:
    """The .docx of ``document`` laid out by the Word template ``data.mau_word``."""
    from .context import build_context
    from .template import load

    path = template_path(data.mau_word, base_dir, smap)
    compiled = load(path)  # parsed and compiled once per template version (a batch reuses it)
    context, styles = build_context(data, document)
    return compiled.render(context, styles)

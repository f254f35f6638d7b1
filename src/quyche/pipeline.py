"""The table of contents: the six stages in order (design.md §1).

1 load      source.load_source       YAML → data + source map
2 validate  schema.validate_data     data → typed model, every problem located
3 normalize normalize.normalize_tree NFC, whitespace, legacy encodings (runs before 2 on raw text)
4 compose   compose.compose          model + profile → format-neutral document
5 render    render.get_renderer      document → bytes per format
6 output    output.atomic_write      bytes → files, atomically, inside the output folder; written.py keeps
                                     hand edits (a file changed since quyche wrote it)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compose import compose
from .errors import Diagnostic, DiagnosticError
from .model import Document
from .normalize import normalize_tree
from .output import safe_name, target_path
from .render import render_formats
from .schema import validate_data
from .sidecar import EXTENSION, Layout, sidecar_bytes
from .source import Source, load_source


def _step(message: str, *args: object) -> None:
    """One line of progress on the "quyche" logger (``quyche --verbose`` shows them). logging is left to whoever
    configures it (the CLI's --verbose, an embedding application): until it is imported no handler exists that
    could show an INFO line, so not importing it here loses nothing and keeps it out of every start-up."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger("quyche").info(message, *args)


@dataclass
class Result:
    """What the stages made of one source: the composed document, warnings, and bytes and files when rendered."""

    source: Path
    document: Document
    outputs: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    layout: Layout = field(default_factory=Layout)  # the PDF's page count and signature places
    data: Any = None  # the validated model (a user Word template sees it, word/context.py)
    source_map: Any = None


def build(path: str | Path) -> Result:
    """Stages 1–4: a YAML file → the composed document (raises DiagnosticError)."""
    _step("Bước 1/6 – Đọc tệp %s", path)
    return build_source(load_source(path))


def build_source(source: Source) -> Result:
    """Stages 2–4 for a parsed source (``source.parse_text``: the editor's unsaved text)."""
    _step("Bước 2/6 – Chuẩn hóa văn bản")
    data, text_diags = normalize_tree(source.data, source.source_map)
    if any(d.is_error for d in text_diags):
        raise DiagnosticError(text_diags, source.text)
    _step("Bước 3/6 – Kiểm tra dữ liệu")
    doc, diags = validate_data(data, source, text_diags)
    _step("Bước 4/6 – Dựng văn bản theo thể thức")
    document = compose(doc, source.source_map, Path(source.path).parent, diags)
    return Result(Path(source.path), document, warnings=diags, data=doc, source_map=source.source_map)


def render(path: str | Path, formats: tuple[str, ...] = ("docx",), template: str | Path | None = None) -> Result:
    """Stages 1–5: returns the bytes of each requested format; writes nothing."""
    mau_warnings: list[Diagnostic] = []
    if template and "docx" in formats:  # the template is checked before the expensive work (render/mau.py)
        from .render.mau import read_mau

        mau_warnings = read_mau(template).diagnostics()
    result = build(path)
    result.warnings.extend(mau_warnings)
    _step("Bước 5/6 – Xuất %s", ", ".join(formats))
    mau_word = getattr(result.data, "mau_word", None)
    if not mau_word:
        result.outputs, result.layout = render_formats(result.document, formats, template)
        return result
    for fmt in formats:
        if fmt == "docx":  # the document's own Word layout (word/render.py)
            from .word.render import render_word

            result.outputs[fmt] = render_word(result.data, result.document, Path(path).parent, result.source_map)
            continue
        # a PDF of the built-in layout would not be the document the template lays out
        loc = result.source_map.locate(("mau_word",))
        result.warnings.append(Diagnostic.make("mau-word-khong-pdf", loc, severity="warning", fmt=fmt))
    return result


def render_to(
    path: str | Path,
    out_dir: str | Path,
    formats: tuple[str, ...] = ("docx",),
    template: str | Path | None = None,
    *,
    force: bool = False,
) -> Result:
    """Stages 1–6: render and write ``out_dir/<input name>.<format>`` atomically, with the sidecar
    ``<input name>.json`` beside them (sidecar.py). A file changed since quyche wrote it is kept and nothing of
    this document is written (written.HandEdited), unless ``force``."""
    from . import written  # (here: validating writes nothing)

    result = render(path, formats, template)
    _step("Bước 6/6 – Ghi tệp vào %s", out_dir)
    out = Path(out_dir)
    stem = safe_name(Path(path).stem)
    files = {fmt: f"{stem}.{fmt}" for fmt in result.outputs}
    payload = {**result.outputs, EXTENSION: sidecar_bytes(result.document, files, result.layout)}
    targets = {fmt: target_path(out, f"{stem}.{fmt}") for fmt in payload}
    with written.folder(out) as record:
        edited = [t for t in targets.values() if record.changed(t)]
        if edited and not force:
            raise written.HandEdited(edited)
        for fmt, data in payload.items():  # the documents first, their sidecar last
            record.write(targets[fmt], data)
            result.written.append(targets[fmt])
    return result

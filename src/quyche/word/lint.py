"""``quyche mau kiem-tra FILE.docx``: a user Word template checked before use.

Findings are located by the paragraph's text and the table cell (where.py), never by XML offsets:
- ``mau-word-the-tach`` (warning): a tag Word split across runs of different formatting — it still works
  (docxtpl joins the runs) but takes the first run's formatting; an error when it spans paragraphs;
- ``mau-word-khoi-le``: a block opened and not closed ({% if %} without {% endif %}) or closed twice;
- ``mau-word-tr-sai``: ``{%tr %}`` outside a table row, or ``{%tc %}`` outside a cell;
- ``mau-word-bien-la`` (warning): a variable the kind does not provide (its YAML fields and the composed
  values of word/context.py);
- the template's Jinja compiled by the sandbox: syntax errors located like render errors (mau-word-loi).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..errors import Diagnostic, DiagnosticError, Location
from .context import COMPUTED
from .template import parsed_parts, part_source, read_members, template_error, xml_env
from .where import cell_of, describe, part_label, plain

_TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.S)
_OPEN_ONLY = re.compile(r"\{[{%#](?:(?![}%#]\}).)*$", re.S)
_BLOCK = re.compile(
    r"\{%-?\s*(?:p|tr|tc|r)?\s*(if|for|macro|filter|with|block|call|set)\b(.*?)-?%\}|"
    r"\{%-?\s*(?:p|tr|tc|r)?\s*end(if|for|macro|filter|with|block|call|set)\b.*?-?%\}",
    re.S,
)
_ROW_TAG = re.compile(r"\{%\s*(tr|tc)\s")
_PARA = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>(.*?)</w:t>", re.S)


def _diag(name: str, code: str, detail: str, severity: str = "error") -> Diagnostic:
    return Diagnostic.make(code, Location(name, 1, 1), severity=severity, detail=detail)


def lint(path: str, kind: str | None = None) -> list[Diagnostic]:
    """Every finding of the template at ``path``; raises DiagnosticError when it cannot be read at all."""
    from docxtpl import DocxTemplate
    from jinja2 import meta

    members = read_members(path)
    helper = DocxTemplate(io.BytesIO(b""))
    out: list[Diagnostic] = []
    env = xml_env()
    names: set[str] = set()
    for member, root in parsed_parts(path, members):
        raw = _raw_xml(root)
        out.extend(_split_tags(path, member, raw))
        out.extend(_row_tags(path, member, raw))
        out.extend(_blocks(path, member, raw))
        try:
            src, _, _ = part_source(helper, member, root)
        except Exception as exc:  # the source budget
            out.extend(template_error(path, member, "", exc).diagnostics)
            continue
        try:
            names |= meta.find_undeclared_variables(env.parse(src))
        except Exception as exc:
            if not any(d.is_error for d in out):  # the structural finding above already says why
                out.extend(template_error(path, member, src, exc).diagnostics)
    if kind is not None:
        from .starter import data_fields

        known = set(COMPUTED) | set(data_fields(kind)) | {"loop"}
        raws = [(member, _raw_xml(root)) for member, root in parsed_parts(path, members)]
        for name in sorted(names - known):
            where = _first_use(name, raws)
            detail = f"{where + ': ' if where else ''}biến «{name}» không có trong văn bản loại {kind}"
            out.append(_diag(path, "mau-word-bien-la", detail, "warning"))
    return out


def _first_use(name: str, raws: list[tuple[str, str]]) -> str:
    """Where a variable is first used: the paragraph (and cell) of the first tag naming it."""
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    for member, xml in raws:
        for m in _PARA.finditer(xml):
            joined = "".join(_RUN_TEXT.findall(m.group(0)))
            if any(word.search(tag.group(0)) for tag in _TAG.finditer(joined)):
                return _where(member, xml, m.start(), m.group(0))
    return ""


def _raw_xml(root: Any) -> str:
    from lxml import etree

    return etree.tostring(root, encoding="unicode")


def _where(member: str, xml: str, start: int, para_xml: str) -> str:
    cell = cell_of(xml[:start])
    return f"{part_label(member)}, đoạn «{plain(para_xml) or '(đoạn trống)'}»" + (f" ({cell})" if cell else "")


def _split_tags(path: str, member: str, xml: str) -> list[Diagnostic]:
    out = []
    for m in _PARA.finditer(xml):
        para = m.group(0)
        texts = _RUN_TEXT.findall(para)
        joined = "".join(texts)
        if _OPEN_ONLY.search(joined):
            where = _where(member, xml, m.start(), para)
            out.append(_diag(path, "mau-word-the-tach", f"{where}: thẻ mở ở đoạn này nhưng đóng ở đoạn khác"))
            continue
        pos = 0
        bounds = []
        for t in texts:
            bounds.append((pos, pos + len(t)))
            pos += len(t)
        for tag in _TAG.finditer(joined):
            runs = [i for i, (a, b) in enumerate(bounds) if a < tag.end() and b > tag.start()]
            if len(runs) > 1:
                where = _where(member, xml, m.start(), para)
                detail = f"{where}: thẻ «{tag.group(0)[:60]}» bị Word tách thành {len(runs)} đoạn chữ"
                out.append(_diag(path, "mau-word-the-tach", detail, "warning"))
    return out


def _row_tags(path: str, member: str, xml: str) -> list[Diagnostic]:
    out = []
    for m in _PARA.finditer(xml):
        text = "".join(_RUN_TEXT.findall(m.group(0)))
        for tag in _ROW_TAG.finditer(text):
            cell = cell_of(xml[: m.start()])
            if not cell:
                where = _where(member, xml, m.start(), m.group(0))
                detail = f"{where}: {{%{tag.group(1)} … %}} chỉ đặt trong ô của một dòng bảng"
                out.append(_diag(path, "mau-word-tr-sai", detail))
    return out


def _blocks(path: str, member: str, xml: str) -> list[Diagnostic]:
    out = []
    stack: list[tuple[str, str]] = []
    for m in _PARA.finditer(xml):
        text = "".join(_RUN_TEXT.findall(m.group(0)))
        for b in _BLOCK.finditer(text):
            where = _where(member, xml, m.start(), m.group(0))
            if b.group(1):
                if b.group(1) == "set" and "=" in (b.group(2) or ""):
                    continue  # {% set x = … %} opens nothing
                stack.append((b.group(1), where))
            elif not stack or stack[-1][0] != b.group(3):
                detail = f"{where}: end{b.group(3)} không khớp khối nào đang mở"
                out.append(_diag(path, "mau-word-khoi-le", detail))
            else:
                stack.pop()
    for name, where in stack:
        out.append(_diag(path, "mau-word-khoi-le", f"{where}: {{% {name} %}} mở mà không có end{name}"))
    return out


def check(path: str, kind: str | None) -> list[Diagnostic]:
    try:
        return lint(path, kind)
    except DiagnosticError as exc:
        return exc.diagnostics


__all__ = ["check", "describe", "lint"]

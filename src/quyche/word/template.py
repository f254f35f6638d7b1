"""User Word templates (``mau_word``): a .docx with Jinja placeholders, filled through quyche's sandbox on
every path, compiled once and rendered many times.

docxtpl renders the body, headers, footers, footnotes and core properties through separate code paths, and
some of them make a plain ``jinja2.Environment`` when none reaches them (docxtpl issue #632: the core
properties and footnotes escape a sandboxed environment). So quyche uses docxtpl's text rules only —
``patch_xml`` (tags split by Word across runs; ``{%p %}``, ``{%tr %}``, ``{%tc %}``, ``{%r %}``),
``resolve_listing`` (line breaks in data), ``fix_tables`` and ``fix_docpr_ids`` — and drives every part
itself (docs/reliability.md):
- the package is read once as a bounded zip (safezip.py) and each XML part with the hardened parser;
- every part that can hold Jinja — the body, each header and footer, footnotes, endnotes, and the texts of
  docProps/core.xml — is compiled by the one sandbox factory (sandbox.environment) and rendered under one
  metered budget (steps, clock, recursion); each part's source is bounded by ``word_source`` and the output
  is counted while it is generated against ``word_output``;
- autoescape is on for XML parts, so "&" and "<" in data never corrupt the file; the core properties are
  plain text (autoescape off) and lxml escapes them when they are set;
- every rendered part is parsed strictly before anything is written: a template that produces broken XML is
  a located error, never a damaged .docx;
- the other parts are copied as they are; styles.xml gets the "QC …" styles of the sub-documents.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DiagnosticError, Location
from ..files import InputFileError
from ..safezip import ZipRefused, open_zip, parse_xml, read_member
from .where import describe, part_label

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RENDERED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_CORE = "docProps/core.xml"
_P_START = re.compile(r"<w:p([ >])")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class _Part:
    member: str
    source: str  # the patched XML, one paragraph per line: what Jinja compiled
    template: Any
    prefix: str = ""  # document.xml: everything around the body
    suffix: str = ""


@dataclass
class WordTemplate:
    """A compiled template: render(context) → .docx bytes; one instance serves a whole batch."""

    name: str
    members: dict[str, bytes]
    parts: list[_Part]
    core: list[tuple[Any, Any]] = field(default_factory=list)  # (element of core.xml, compiled text)
    core_root: Any = None
    style_ids: set[str] = field(default_factory=set)

    def render(self, context: dict[str, Any], styles: dict[str, str] | None = None) -> bytes:
        """The filled .docx; ``styles`` (styleId → <w:style> XML) are added where the template lacks them.
        Raises DiagnosticError (mau-word-…) located at the paragraph and cell; writes nothing."""
        from docxtpl import DocxTemplate
        from lxml import etree

        from .. import sandbox

        helper = DocxTemplate(io.BytesIO(b""))
        helper.docx_ids_index = 1000
        out = dict(self.members)
        with sandbox.metered():
            total = 0
            for part in self.parts:
                xml = _run(self, part, part.template, context)
                total += len(xml)
                sandbox.tick(total, "word_output")
                xml = _P_START.sub(r"<w:p\1", xml.replace("\n<w:p", "<w:p"))
                xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
                xml = helper.resolve_listing(xml)
                _strict(self, part, xml)
                if part.member == "word/document.xml":
                    try:  # docxtpl's repairs after {%tc %} loops; a table Word would not write is refused
                        tree = helper.fix_tables(xml)
                        helper.fix_docpr_ids(tree)
                    except (AttributeError, TypeError, ValueError) as exc:
                        detail = f"thân văn bản: bảng không hợp lệ sau khi điền ({type(exc).__name__})"
                        raise _error(self.name, "mau-word-loi", detail) from None
                    body = etree.tostring(tree, encoding="unicode")
                    out[part.member] = (part.prefix + body + part.suffix).encode("utf-8")
                else:
                    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    out[part.member] = (head + xml).encode("utf-8")
            if self.core:
                out[_CORE] = self._render_core(context)
        if styles:
            out["word/styles.xml"] = self._styles(out["word/styles.xml"], styles)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for name, data in out.items():
                z.writestr(name, data)
        return buf.getvalue()

    def _render_core(self, context: dict[str, Any]) -> bytes:
        from copy import deepcopy

        from lxml import etree

        root = deepcopy(self.core_root)
        for (el, template), copy_el in zip(self.core, _text_elements(root), strict=True):
            del el
            text = _run(self, _Part(_CORE, copy_el.text or "", template), template, context)
            copy_el.text = _XML_BAD.sub("", text)  # plain text: lxml escapes it; characters XML forbids dropped
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _styles(self, data: bytes, styles: dict[str, str]) -> bytes:
        extra = "".join(xml for sid, xml in styles.items() if sid not in self.style_ids)
        if not extra:
            return data
        text = data.decode("utf-8")
        at = text.rfind("</w:styles>")
        if at < 0:  # checked at load: styles.xml uses the w: prefix
            return data
        return (text[:at] + extra + text[at:]).encode("utf-8")


def _text_elements(root: Any) -> list[Any]:
    return [el for el in root if isinstance(el.tag, str) and el.text and ("{{" in el.text or "{%" in el.text)]


def _run(tpl: WordTemplate, part: _Part, template: Any, context: dict[str, Any]) -> str:
    """One part rendered as a stream, counted as it grows; every failure becomes a located diagnostic."""
    from .. import sandbox

    out: list[str] = []
    total = 0
    gen = template.generate(**context)
    try:
        for chunk in gen:
            total += len(chunk)
            try:
                sandbox.tick(total, "word_output")
            except sandbox.TemplateBudgetError as exc:
                raise template_error(tpl.name, part.member, part.source, exc, _paused_line(template, gen)) from None
            out.append(chunk)
    except DiagnosticError:
        raise
    except Exception as exc:
        raise template_error(tpl.name, part.member, part.source, exc) from None
    return "".join(out)


def _paused_line(template: Any, gen: Any) -> int | None:
    """The template line a paused render generator stands on (its innermost generator's Python line,
    mapped back by Jinja)."""
    inner = gen
    while getattr(inner, "gi_yieldfrom", None) is not None:
        inner = inner.gi_yieldfrom
    frame = getattr(inner, "gi_frame", None)
    return template.get_corresponding_lineno(frame.f_lineno) if frame is not None else None


def _strict(tpl: WordTemplate, part: _Part, xml: str) -> None:
    from lxml import etree

    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, huge_tree=False))
        # well-formed is not enough: a table or paragraph landing inside a run or text is a file Word refuses
        inside = {f"{{{W}}}r", f"{{{W}}}t", f"{{{W}}}p"}
        for el in root.iter(f"{{{W}}}p", f"{{{W}}}tbl"):
            parent = el.getparent()
            if parent is not None and parent.tag in inside:
                raise etree.XMLSyntaxError("nested", 0, 0, 0)
    except etree.XMLSyntaxError:
        detail = (
            f"{part_label(part.member)}: kết quả không phải XML hợp lệ — thẻ {{{{p … }}}} hay {{%p … %}} "
            "phải đứng một mình trong đoạn, {{%tr … %}} một mình trong dòng bảng; khối con (header, chu_ky) "
            "chỉ chèn bằng {{p header }}"
        )
        raise _error(tpl.name, "mau-word-loi", detail) from None


def _error(name: str, code: str, detail: str) -> DiagnosticError:
    return DiagnosticError([Diagnostic.make(code, Location(name, 1, 1), detail=detail)])


def template_line(exc: BaseException) -> int | None:
    """The template line a Jinja error happened on (syntax errors carry it; runtime errors are in the
    traceback Jinja rewrites to template lines)."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def template_error(name: str, member: str, source: str, exc: BaseException, line: int | None = None) -> DiagnosticError:
    """A Jinja, sandbox or budget failure → mau-word-loi / -khong-an-toan / -vuot-gioi-han, located."""
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError

    from ..sandbox import TemplateBudgetError

    where = describe(member, source, line or template_line(exc))
    if isinstance(exc, (TemplateBudgetError, RecursionError, MemoryError)):
        reason = str(exc) if isinstance(exc, TemplateBudgetError) else "lồng quá sâu hay quá nhiều bộ nhớ"
        return _error(name, "mau-word-vuot-gioi-han", f"{where}: {reason}")
    if isinstance(exc, (SecurityError, OverflowError)):
        return _error(name, "mau-word-khong-an-toan", f"{where}: {str(exc)[:200]}")
    if isinstance(exc, UndefinedError):
        return _error(name, "mau-word-loi", f"{where}: biến không có ({exc.message})")
    if isinstance(exc, TemplateError):
        return _error(name, "mau-word-loi", f"{where}: {str(exc)[:200]}")
    if isinstance(exc, DiagnosticError):
        return exc
    return _error(name, "mau-word-loi", f"{where}: {type(exc).__name__}: {str(exc)[:200]}")


def xml_env() -> Any:
    from .. import sandbox

    env = sandbox.environment(autoescape=True)
    env.source_limit = "word_source"
    return env


def text_env() -> Any:
    from .. import sandbox

    return sandbox.environment(autoescape=False)


def load(path: str | os.PathLike[str]) -> WordTemplate:
    """The compiled template at ``path`` (already confined by the caller), cached per version."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise _error(str(path), "tep-khong-doc-duoc", f"không đọc được ({exc.strerror})") from None
    return _load(str(p), st.st_mtime_ns, st.st_size)


def read_members(path: str) -> dict[str, bytes]:
    """Every member of the template, read through the bounded zip reader; raises DiagnosticError."""
    try:
        with open_zip(Path(path), "mẫu Word") as z:
            names = [i.filename for i in z.infolist() if not i.is_dir()]
            members = {n: read_member(z, n, "mẫu Word") for n in names}
    except (ZipRefused, InputFileError) as exc:
        code = exc.code if exc.code not in ("zip-hong", "mau-docx-loi") else "mau-word-loi"
        raise _error(path, code, exc.detail) from None
    for must in ("word/document.xml", "word/styles.xml", "[Content_Types].xml"):
        if must not in members:
            raise _error(path, "mau-word-loi", f"không phải tệp .docx (thiếu {must})")
    if any("vbaProject" in n for n in members):
        raise _error(path, "mau-word-loi", "tệp có macro (.docm): lưu lại dạng .docx")
    return members


def parsed_parts(path: str, members: dict[str, bytes]) -> list[tuple[str, Any]]:
    """(member, hardened lxml root) of every part that may hold Jinja, the body first."""
    names = sorted((n for n in members if _RENDERED.match(n)), key=lambda n: (n != "word/document.xml", n))
    out = []
    for name in names:
        try:
            out.append((name, parse_xml(members[name], name)))
        except ZipRefused as exc:
            raise _error(path, "mau-word-loi", exc.detail) from None
    return out


def part_source(helper: Any, member: str, root: Any) -> tuple[str, str, str]:
    """(patched Jinja source one paragraph a line, prefix, suffix): docxtpl's patch_xml on the body element
    of document.xml, or on the whole root of a header, footer or notes part."""
    from lxml import etree

    if member == "word/document.xml":
        body = root.find(f"{{{W}}}body")
        if body is None:
            raise ValueError("thiếu w:body")
        marker = "QUYCHE_BODY_MARKER"
        placeholder = etree.Element(f"{{{W}}}body")
        placeholder.text = marker
        index = list(root).index(body)
        root.remove(body)
        root.insert(index, placeholder)
        whole = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")
        root.remove(placeholder)
        root.insert(index, body)
        start = whole.index(marker)
        prefix = whole[: whole.rindex("<", 0, start)]
        suffix = whole[whole.index(">", start + len(marker)) + 1 :]
        xml = etree.tostring(body, encoding="unicode")
    else:
        prefix = suffix = ""
        xml = etree.tostring(root, encoding="unicode")
    from .. import budget
    from ..sandbox import TemplateBudgetError

    cap = budget.limit("word_source")
    if len(xml) > cap:  # before docxtpl's regular expressions run over it
        raise TemplateBudgetError(f"XML dài {len(xml)} ký tự > {cap} (QUYCHE_MAX_WORD_TEMPLATE_XML)")
    src = helper.patch_xml(xml)
    return _P_START.sub(r"\n<w:p\1", src), prefix, suffix


@lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int, size: int) -> WordTemplate:
    del mtime_ns, size  # cache key only: a template saved again in Word is compiled again
    from docxtpl import DocxTemplate

    members = read_members(path)
    helper = DocxTemplate(io.BytesIO(b""))
    env, plain_env = xml_env(), text_env()
    parts: list[_Part] = []
    for member, root in parsed_parts(path, members):
        try:
            src, prefix, suffix = part_source(helper, member, root)
        except ValueError as exc:
            raise _error(path, "mau-word-loi", f"{part_label(member)}: {exc}") from None
        except Exception as exc:  # the source budget
            raise template_error(path, member, "", exc) from None
        if member != "word/document.xml" and "{" not in src:
            continue  # nothing to fill: copied as it is
        try:
            compiled = env.from_string(src)
        except Exception as exc:
            raise template_error(path, member, src, exc) from None
        parts.append(_Part(member, src, compiled, prefix, suffix))
    tpl = WordTemplate(path, members, parts)
    if _CORE in members:
        try:
            core_root = parse_xml(members[_CORE], _CORE)
        except ZipRefused as exc:
            raise _error(path, "mau-word-loi", exc.detail) from None
        for el in _text_elements(core_root):
            try:
                tpl.core.append((el, plain_env.from_string(el.text)))
            except Exception as exc:
                raise template_error(path, _CORE, el.text or "", exc) from None
        tpl.core_root = core_root
    styles = parse_xml(members["word/styles.xml"], "styles.xml")
    if styles.prefix != "w":
        raise _error(path, "mau-word-loi", "styles.xml không theo dạng của Word (tiền tố w:)")
    tpl.style_ids = {s.get(f"{{{W}}}styleId") or "" for s in styles.iter(f"{{{W}}}style")}
    return tpl

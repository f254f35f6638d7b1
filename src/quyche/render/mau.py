"""Word style templates (``--mau``): read as untrusted input, keep only what quyche needs.

A template is a .docx whose quyche styles ("Điều", "Khoản", … or the older "QC dieu" names) were restyled
in Word; it may also come from another body
or the internet. So (docs/reliability.md):
- it is opened as a bounded zip (safezip.py: members, sizes, ratio, names, regular file only);
- only the parts that carry formatting are kept — styles, numbering, font table, theme, settings —
  each parsed with a hardened XML parser (no DTD, no entities, no network) and written back from the
  parsed tree, so no byte of the template is copied unparsed;
- anything else — its body, headers, external relationships, macros (vbaProject), custom XML,
  embedded objects and fonts, ActiveX, attached templates — is dropped with one warning naming it;
- every element that points at a relationship (r:id, r:embed, …) is removed from the kept parts, as
  those relationships are not carried;
- style ids are validated (letters, digits, "_", "-", ".") and a style with another id is skipped
  with a warning; the renderer escapes every id it writes;
- a malformed template is a located error (``mau-docx-loi`` at the template), never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DiagnosticError, Location
from ..files import InputFileError
from ..safezip import ZipRefused, open_zip, parse_xml, read_member

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
# relationship type (last path segment) → (part name in the output, content type)
KEPT = {
    "styles": ("word/styles.xml", f"{_CT}.wordprocessingml.styles+xml"),
    "numbering": ("word/numbering.xml", f"{_CT}.wordprocessingml.numbering+xml"),
    "fontTable": ("word/fontTable.xml", f"{_CT}.wordprocessingml.fontTable+xml"),
    "theme": ("word/theme/theme1.xml", f"{_CT}.theme+xml"),
    "settings": ("word/settings.xml", f"{_CT}.wordprocessingml.settings+xml"),
}
_ROOTS = {"styles": "styles", "numbering": "numbering", "fontTable": "fonts", "settings": "settings", "theme": "theme"}
_STYLE_ID = re.compile(r"^[\w.\-]{1,253}$")
_KNOWN = re.compile(
    r"^(\[Content_Types\]\.xml|_rels/\.rels|docProps/.*|word/document\.xml|word/_rels/document\.xml\.rels|"
    r"word/(styles|numbering|fontTable|settings|webSettings|stylesWithEffects)\.xml|word/theme/theme\d+\.xml|"
    r"word/(header|footer|footnotes|endnotes|comments)\d*\.xml|word/_rels/(header|footer)\d*\.xml\.rels|"
    r"word/media/[^/]+|word/_rels/(fontTable|settings)\.xml\.rels|[^/]*/)$"
)
_DROPPED_KINDS = (
    (re.compile(r"vbaProject|vbaData|\.bin$", re.I), "macro / dữ liệu nhị phân"),
    (re.compile(r"^customXml/", re.I), "custom XML"),
    (re.compile(r"embeddings/|oleObject|activeX", re.I), "đối tượng nhúng"),
    (re.compile(r"fonts/", re.I), "phông nhúng"),
)


@dataclass(frozen=True)
class Mau:
    """The kept parts of a template (part name → bytes rebuilt from the parsed tree)."""

    name: str
    parts: dict[str, Any]  # part name → lxml root element (copied before every use)
    style_ids: dict[str, str]  # style name → validated styleId
    warnings: tuple[str, ...]

    def diagnostics(self) -> list[Diagnostic]:
        loc = Location(self.name, 1, 1)
        return [Diagnostic.make("mau-docx-bo-phan", loc, severity="warning", detail=w) for w in self.warnings]

    def package(self, styles_extra: str) -> tuple[dict[str, bytes], str, str]:
        """(kept parts as bytes with quyche's styles appended, extra document rels, extra content-type overrides)."""
        from lxml import etree

        out: dict[str, bytes] = {}
        rels: list[str] = []
        types: list[str] = []
        for i, (kind, (part, ctype)) in enumerate(KEPT.items()):
            root = self.parts.get(part)
            if root is None:
                continue
            root = _copy(root)
            if kind == "styles" and styles_extra:
                wrapper = etree.fromstring(f'<w:styles xmlns:w="{_W}">{styles_extra}</w:styles>'.encode())
                for child in wrapper:
                    root.append(child)
            out[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if kind == "numbering":  # quyche's own package already relates the other kept parts
                target = part.removeprefix("word/")
                rels.append(f'<Relationship Id="rIdQcMau{i}" Type="{_R}/{kind}" Target="{target}"/>')
                types.append(f'<Override PartName="/{part}" ContentType="{ctype}"/>')
        return out, "".join(rels), "".join(types)


def _copy(root: Any) -> Any:
    from copy import deepcopy

    return deepcopy(root)


def _fail(name: str, detail: str, code: str = "mau-docx-loi") -> DiagnosticError:
    return DiagnosticError([Diagnostic.make(code, Location(name, 1, 1), detail=detail)])


def read_mau(path: str | os.PathLike[str]) -> Mau:
    """The template at ``path``, read once per version (size and mtime are part of the cache key)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise _fail(str(path), f"không đọc được ({exc.strerror})", "tep-khong-doc-duoc") from None
    return _read(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> Mau:
    del mtime_ns, size  # cache key only: a template edited in Word is read again
    name = path
    try:
        with open_zip(Path(path), "mẫu") as z:
            members = {i.filename for i in z.infolist() if not i.is_dir()}
            if "word/_rels/document.xml.rels" not in members:
                raise ZipRefused("mau-docx-loi", "không phải tệp .docx (thiếu word/_rels/document.xml.rels)")
            rels = parse_xml(read_member(z, "word/_rels/document.xml.rels", "mẫu"), "document.xml.rels")
            parts: dict[str, Any] = {}
            warnings: list[str] = []
            for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                target = rel.get("Target") or ""
                if (rel.get("TargetMode") or "").lower() == "external":
                    warnings.append(f"liên kết ra ngoài ({kind}: {target[:60]})")
                    continue
                if kind not in KEPT:
                    continue
                member = "word/" + target.lstrip("/").removeprefix("word/")
                if member not in members:
                    raise ZipRefused("mau-docx-loi", f"thiếu phần {member[:80]}")
                root = parse_xml(read_member(z, member, "mẫu"), member)
                if root.tag.rsplit("}", 1)[-1] != _ROOTS[kind]:
                    raise ZipRefused("mau-docx-loi", f"phần {member[:80]} không phải {kind}")
                warnings.extend(_strip_relationship_refs(root, member))
                parts[KEPT[kind][0]] = root
            if "word/styles.xml" not in parts:
                raise ZipRefused("mau-docx-loi", "không có phần kiểu (styles.xml)")
            warnings.extend(_dropped(members))
    except (ZipRefused, InputFileError) as exc:
        raise _fail(name, exc.detail, exc.code if exc.code != "zip-hong" else "mau-docx-loi") from None
    ids, bad = _style_ids(parts["word/styles.xml"])
    warnings.extend(bad)
    return Mau(name, parts, ids, tuple(warnings))


def _strip_relationship_refs(root: Any, member: str) -> list[str]:
    """Remove every element carrying an r:… attribute (embedded fonts, attached template, images)."""
    doomed = [el for el in root.iter() if any(str(a).startswith(f"{{{_R}}}") for a in el.attrib)]
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    if not doomed:
        return []
    tags = sorted({el.tag.rsplit("}", 1)[-1] for el in doomed})
    return [f"{len(doomed)} tham chiếu ngoài trong {member} ({', '.join(tags)[:80]})"]


def _dropped(members: set[str]) -> list[str]:
    out: dict[str, int] = {}
    for m in sorted(members):
        if _KNOWN.match(m):
            continue
        label = next((lab for rx, lab in _DROPPED_KINDS if rx.search(m)), "phần lạ")
        out[label] = out.get(label, 0) + 1
    return [f"{n} phần {label}" for label, n in out.items()]


def _style_ids(styles: Any) -> tuple[dict[str, str], list[str]]:
    ids: dict[str, str] = {}
    bad: list[str] = []
    for st in list(styles.iter(f"{{{_W}}}style")):
        sid = st.get(f"{{{_W}}}styleId") or ""
        name_el = st.find(f"{{{_W}}}name")
        name = name_el.get(f"{{{_W}}}val") if name_el is not None else None
        if not _STYLE_ID.match(sid):
            bad.append(f"kiểu có mã không hợp lệ {sid[:40]!r}")
            parent = st.getparent()
            if parent is not None:
                parent.remove(st)
            continue
        if name:
            ids[name] = sid
    return ids, bad

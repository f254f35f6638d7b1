"""A .docx opened as untrusted input: a bounded zip (member count, sizes, ratio; regular files only) whose
XML parts are parsed without DTDs, entities or network access. Kept parsed so that fixes can edit the
trees and write a new package with every other part unchanged."""

from __future__ import annotations

import errno
import functools
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import limits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


@functools.cache
def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag (made once per tag: called in every loop of the readers)."""
    return f"{{{W}}}{tag}"


class CheckInputError(Exception):
    """The file cannot be checked: the message says why, in Vietnamese; ``code`` is a stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def parse_xml(data: bytes, name: str) -> etree._Element:
    head = data[:2048].lower()
    if b"<!doctype" in head or b"<!entity" in head:  # OOXML parts never declare a DTD
        raise CheckInputError("docx-hong", f"phần {name} khai báo DTD/thực thể — không đọc tệp này")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CheckInputError("docx-hong", f"phần {name} không phải XML hợp lệ: {exc}") from None


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file (no device, FIFO or directory), at most ``max_bytes``."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise CheckInputError("tep-khong-doc-duoc", _why(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise CheckInputError("tep-khong-doc-duoc", "không phải tệp thường (thư mục, thiết bị, ống dẫn…)")
    if st.st_size > max_bytes:
        raise CheckInputError("tep-qua-lon", f"tệp {st.st_size} byte, quá giới hạn {max_bytes} byte")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise CheckInputError("tep-khong-doc-duoc", _why(exc)) from None
    if len(data) > max_bytes:
        raise CheckInputError("tep-qua-lon", f"tệp quá giới hạn {max_bytes} byte")
    return data


def _why(exc: OSError) -> str:
    reason = {errno.ENOENT: "không có tệp này", errno.EACCES: "không có quyền đọc", errno.EISDIR: "là thư mục"}
    return "không đọc được tệp: " + reason.get(exc.errno or 0, exc.strerror or type(exc).__name__)


@dataclass
class Package:
    """Every part's bytes (bounded), the parsed XML parts the checker uses, and the main part's name."""

    raw: dict[str, bytes]
    order: list[str]
    main: str
    xml: dict[str, etree._Element] = field(default_factory=dict)
    rels: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # part → rId → (type, target)
    dirty: set[str] = field(default_factory=set)

    def part(self, name: str) -> etree._Element | None:
        if name not in self.xml:
            if name not in self.raw:
                return None
            self.xml[name] = parse_xml(self.raw[name], name)
        return self.xml[name]

    def relations(self, part: str) -> dict[str, tuple[str, str]]:
        if part not in self.rels:
            folder, _, base = part.rpartition("/")
            rel_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
            out: dict[str, tuple[str, str]] = {}
            root = self.part(rel_name)
            if root is not None:
                for rel in root:
                    if rel.get("TargetMode") == "External":
                        continue
                    target = rel.get("Target", "")
                    full = target.lstrip("/") if target.startswith("/") else _join(folder, target)
                    out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], full)
            self.rels[part] = out
        return self.rels[part]

    def target(self, part: str, kind: str) -> str | None:
        return next((t for k, t in self.relations(part).values() if k == kind), None)

    def serialize(self) -> bytes:
        """The package with edited parts re-serialised and every other part byte for byte."""
        import io

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.order:
                data = self.raw[name]
                if name in self.dirty:
                    data = etree.tostring(self.xml[name], xml_declaration=True, encoding="UTF-8", standalone=True)
                z.writestr(name, data)
        return out.getvalue()


def _join(folder: str, target: str) -> str:
    parts = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def open_package(path: Path) -> Package:
    import io

    data = read_regular(path, limits.MAX_FILE_BYTES)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise CheckInputError("docx-hong", "không phải tệp .docx (không phải gói zip)") from None
    infos = z.infolist()
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise CheckInputError("docx-qua-lon", f"gói có {len(infos)} phần, quá giới hạn {limits.MAX_ZIP_MEMBERS}")
    raw: dict[str, bytes] = {}
    order: list[str] = []
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        if info.file_size > limits.MAX_PART_BYTES:
            raise CheckInputError("docx-qua-lon", f"phần {info.filename} quá lớn ({info.file_size} byte)")
        if (
            info.compress_size
            and info.file_size / info.compress_size > limits.MAX_RATIO
            and info.file_size > limits.MIB
        ):
            raise CheckInputError("docx-qua-lon", f"phần {info.filename} nén bất thường (nghi bom zip)")
        total += info.file_size
        if total > limits.MAX_TOTAL_BYTES:
            raise CheckInputError("docx-qua-lon", "tổng dung lượng giải nén quá giới hạn")
        try:
            with z.open(info) as fh:  # read at most the declared size + 1: a lying header cannot inflate
                content = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
            raise CheckInputError("docx-hong", f"phần {info.filename} hỏng: {exc}") from None
        if len(content) > info.file_size:
            raise CheckInputError("docx-hong", f"phần {info.filename} dài hơn kích thước khai báo")
        raw[info.filename] = content
        order.append(info.filename)
    pkg = Package(raw, order, "")
    main = next((t for k, t in pkg.relations("").values() if k == "officeDocument"), None)
    if main is None and "word/document.xml" in raw:
        main = "word/document.xml"
    if main is None or main not in raw:
        raise CheckInputError("docx-hong", "gói không có phần văn bản chính (word/document.xml)")
    pkg.main = main
    root = pkg.part(main)
    if root is None or root.tag != w("document"):
        raise CheckInputError("docx-hong", "phần văn bản chính không phải WordprocessingML")
    return pkg

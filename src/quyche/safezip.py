"""Bounded zip packages (.docx templates, .xlsx rosters) and hardened XML parsing of their parts.

Checked from the central directory before any member is decompressed (docs/reliability.md): a regular
file within ``zip_bytes``; at most ``zip_members`` members; each member's declared size within
``zip_member_bytes`` and all together within ``zip_total_bytes``; no member compressed more than
``zip_ratio`` times (zip bombs); member names relative, without "..", NUL or backslashes, not duplicated,
and no symlink or device entries. zipfile stops reading a member at its declared size and checks its
CRC, so a member cannot inflate past what was checked.

XML is parsed with lxml with entities unresolved, no DTD loaded, no network, no huge trees, and any
DOCTYPE refused (no "billion laughs", no external entities).
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path
from typing import Any

from . import budget
from .files import InputFileError, check_regular

_RATIO_FLOOR = 1 << 20  # members under 1 MiB inflated are harmless whatever their ratio


class ZipRefused(InputFileError):
    pass


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """A ZipFile whose central directory passed every budget; raises ZipRefused / InputFileError."""
    check_regular(path, "zip_bytes", what)
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ZipRefused("zip-hong", f"{what} {path.name} không phải tệp zip hợp lệ ({type(exc).__name__})") from None
    try:
        check_members(z.infolist(), what)
    except BaseException:
        z.close()
        raise
    return z


def check_members(infos: list[zipfile.ZipInfo], what: str) -> None:
    try:
        budget.check("zip_members", len(infos), f"{what}: số phần")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if "\x00" in name or "\\" in name or name.startswith("/") or ".." in name.split("/") or name in seen:
                raise ZipRefused("zip-hong", f"{what}: tên phần không hợp lệ {name[:80]!r}")
            seen.add(name)
            kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0  # Unix entries only
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):  # a symlink, device or FIFO entry
                raise ZipRefused("zip-hong", f"{what}: phần {name[:80]!r} không phải tệp thường")
            budget.check("zip_member_bytes", info.file_size, f"{what}: phần {name[:80]}")
            total += info.file_size
            budget.check("zip_total_bytes", total, f"{what}: tổng sau giải nén")
            if info.file_size > _RATIO_FLOOR:
                ratio = info.file_size // max(info.compress_size, 1)
                budget.check("zip_ratio", ratio, f"{what}: phần {name[:80]} nén")
    except budget.Exceeded as exc:
        raise ZipRefused("vuot-gioi-han", exc.detail) from None


def read_member(z: zipfile.ZipFile, name: str, what: str) -> bytes:
    try:
        return z.read(name)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ZipRefused("zip-hong", f"{what}: không đọc được phần {name[:80]} ({type(exc).__name__})") from None


def parse_xml(data: bytes, what: str) -> Any:
    """An lxml element from untrusted bytes: no DTD, no entities, no network; raises ZipRefused."""
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ZipRefused("mau-docx-loi", f"{what}: có khai báo DOCTYPE/ENTITY (không được phép)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise ZipRefused("mau-docx-loi", f"{what}: XML hỏng ở dòng {line}") from None
    if root is None:
        raise ZipRefused("mau-docx-loi", f"{what}: XML rỗng")
    return root

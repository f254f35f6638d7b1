"""A PDF's structure checked against its budgets before pyHanko parses it (budget.py).

pyHanko is a careful parser but not a bounded one: a signature whose /Contents is hundreds of megabytes
of hex is parsed byte by byte (sign and verify hang), a Flate stream can inflate to gigabytes when an
object stream or metadata is decoded, deep nesting recurses, and a page tree whose /Kids or /Parent
loop never ends. So, on the raw bytes, in time linear in the file:
- every ``/Contents <…>`` hex string is measured (``sig_contents``);
- arrays and dictionaries nest at most ``pdf_depth`` deep (strings and streams skipped, reset per object);
- every Flate stream is inflated into a counter, never into memory, and stops at ``pdf_stream``;
- the number of objects is at most ``pdf_objects``.
After parsing, ``check_page_tree`` walks /Pages with a visited set (a loop is an error, not a hang).
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from .. import budget
from .model import SignError

_TOKENS = re.compile(rb"<<|>>|\[|\]|\(|\bendobj\b|\bstream(?:\r\n|\n|\r)|/Contents\s*<(?!<)")
_STRING_SPECIAL = re.compile(rb"[\\()]")
_CHUNK = 1 << 16


def _refuse(what: str, found: int | str, key: str) -> SignError:
    lim = budget.LIMITS[key]
    return SignError(
        "vuot-gioi-han",
        f"Tệp PDF vượt giới hạn: {what} ({found} > {budget.human(budget.limit(key), lim.unit)}).",
        f"tệp này không giống văn bản thật; nếu cần, đặt biến môi trường {lim.env} (docs/reliability.md).",
    )


def _skip_string(data: bytes, i: int, max_depth: int) -> int:
    """Index after the literal string starting at data[i] == '(' (balanced parentheses, backslash escapes)."""
    depth = 0
    while True:
        m = _STRING_SPECIAL.search(data, i)
        if m is None:
            return len(data)
        c = m.group()
        i = m.end()
        if c == b"\\":
            i += 1
        elif c == b"(":
            depth += 1
            if depth > max_depth:
                raise _refuse("độ lồng ngoặc trong chuỗi", f"hơn {max_depth} mức", "pdf_depth")
        else:
            depth -= 1
            if depth == 0:
                return i


def _inflated_size(data: bytes, start: int, end: int, cap: int) -> int:
    """How many bytes the Flate stream data[start:end] inflates to, counting at most cap + 1."""
    d = zlib.decompressobj()
    total = 0
    pos = start
    try:
        while pos < end and total <= cap:
            chunk = data[pos : min(pos + _CHUNK, end)]
            pos += len(chunk)
            out = d.decompress(chunk, cap + 1 - total)
            total += len(out)
            while d.unconsumed_tail and total <= cap:
                out = d.decompress(d.unconsumed_tail, cap + 1 - total)
                if not out:
                    break
                total += len(out)
            if d.eof:
                break
    except zlib.error:
        return total  # a damaged stream is pyHanko's to report; only its size matters here
    return total


def check_structure(data: bytes) -> None:
    """Raise SignError ``vuot-gioi-han`` when the raw PDF passes one of its structural budgets."""
    max_depth = budget.limit("pdf_depth")
    max_contents = budget.limit("sig_contents")
    max_stream = budget.limit("pdf_stream")
    max_objects = budget.limit("pdf_objects")
    objects = data.count(b"endobj")  # one C pass; objects inside object streams are bounded by their stream
    if objects > max_objects:
        raise _refuse("số đối tượng", objects, "pdf_objects")
    depth = 0
    i = 0
    n = len(data)
    last_obj = 0
    while i < n:
        m = _TOKENS.search(data, i)
        if m is None:
            break
        tok = m.group()
        i = m.end()
        if tok in (b"<<", b"["):
            depth += 1
            if depth > max_depth:
                raise _refuse("độ lồng của đối tượng", f"hơn {max_depth} mức", "pdf_depth")
        elif tok in (b">>", b"]"):
            depth = max(depth - 1, 0)
        elif tok == b"(":
            i = _skip_string(data, m.start(), max_depth)
        elif tok == b"endobj":
            depth = 0
            last_obj = i
        elif tok.startswith(b"/Contents"):
            close = data.find(b">", i)
            close = n if close < 0 else close
            size = (close - i) // 2
            if size > max_contents:
                raise _refuse("chữ ký /Contents", f"{size} byte", "sig_contents")
            i = close + 1
        else:  # stream: skip its bytes; measure it when it is Flate-encoded
            end = data.find(b"endstream", i)
            end = n if end < 0 else end
            head = data[max(last_obj, m.start() - 4096) : m.start()]
            if b"/FlateDecode" in head or b"/Fl " in head or b"/Fl/" in head or b"/Fl]" in head:
                size = _inflated_size(data, i, end, max_stream)
                if size > max_stream:
                    raise _refuse("luồng sau giải nén", f"hơn {size - 1} byte", "pdf_stream")
            i = end + len(b"endstream")
            depth = 0


def check_page_tree(reader: Any) -> int:
    """The number of pages, walking /Pages iteratively with a visited set; SignError on a loop."""
    from pyhanko.pdf_utils import generic

    max_nodes = budget.limit("pdf_objects")
    try:
        root = reader.root.raw_get("/Pages")
    except (KeyError, TypeError, ValueError) as exc:
        raise SignError("pdf-hong", f"Tệp PDF không có cây trang (/Pages): {type(exc).__name__}.") from None
    stack = [root]
    seen: set[tuple[int, int]] = set()
    pages = 0
    while stack:
        ref = stack.pop()
        if isinstance(ref, generic.IndirectObject):
            key = (ref.idnum, ref.generation)
            if key in seen:
                raise SignError("pdf-hong", "Cây trang của tệp PDF có vòng lặp (/Kids trỏ ngược lại).")
            seen.add(key)
            if len(seen) > max_nodes:
                raise _refuse("số nút cây trang", f"hơn {max_nodes}", "pdf_objects")
        node = ref.get_object() if hasattr(ref, "get_object") else ref
        if not isinstance(node, generic.DictionaryObject):
            raise SignError("pdf-hong", "Cây trang của tệp PDF hỏng (một nút không phải từ điển).")
        kind = node.get("/Type")
        if kind == "/Page" or "/Kids" not in node:
            pages += 1
            continue
        kids = node.raw_get("/Kids")
        kids = kids.get_object() if isinstance(kids, generic.IndirectObject) else kids
        if not isinstance(kids, generic.ArrayObject):
            raise SignError("pdf-hong", "Cây trang của tệp PDF hỏng (/Kids không phải mảng).")
        stack.extend(kids.raw_get(k) for k in range(len(kids)))
    if pages == 0:
        raise SignError("pdf-hong", "Tệp PDF không có trang nào.")
    return pages

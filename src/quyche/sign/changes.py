"""What changed in a document after a signature, in the signer's terms: pages added or removed, a page's
content redrawn, annotations added on a page — read by comparing the signed revision with the latest one
(pyHanko's historical resolver), for a verdict that says more than "modified"."""

from __future__ import annotations

import hashlib
from typing import Any

MAX_PAGES = 5_000  # pages compared; a longer document is reported by count only (the tree itself is bounded)


def _pages(root: Any) -> list[Any]:
    out: list[Any] = []
    stack = [root["/Pages"]]
    visits = 0
    while stack and len(out) < MAX_PAGES:
        visits += 1
        if visits > 4 * MAX_PAGES:  # a loop in the page tree (pdfcheck refuses these): never spin here
            break
        node = stack.pop().get_object()
        if "/Kids" in node:
            stack.extend(reversed(list(node["/Kids"])))
        else:
            out.append(node)
    return out


def _content_hash(page: Any) -> str:
    contents = page.get("/Contents")
    if contents is None:
        return ""
    contents = contents.get_object()
    parts = list(contents) if isinstance(contents, list) else [contents]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.get_object().data)
    return digest.hexdigest()


def _annotation_count(page: Any) -> int:
    annots = page.get("/Annots")
    return len(annots.get_object()) if annots is not None else 0


def what_changed(reader: Any, signed_revision: int) -> list[str]:
    """Vietnamese phrases, one per change found between ``signed_revision`` and the document as it is now."""
    before = _pages(reader.get_historical_resolver(signed_revision).root)
    after = _pages(reader.root)
    changes: list[str] = []
    if len(before) != len(after):
        changes.append(f"số trang đổi từ {len(before)} thành {len(after)}")
    for n, (old, new) in enumerate(zip(before, after, strict=False), start=1):
        if _content_hash(old) != _content_hash(new):
            changes.append(f"nội dung trang {n} đã bị thay")
        added = _annotation_count(new) - _annotation_count(old)
        if added > 0:
            changes.append(f"thêm {added} chú thích/trường trên trang {n}")
    return changes

"""Budgets for untrusted documents given to ``quyche check``: a .docx is a zip that could be a bomb, a PDF could
have thousands of pages. Every one comes from the shared policy (budget.py): the check's own (``check_bytes``,
``check_pages``, ``check_paragraphs``) and the ones of every zip quyche opens (``zip_members``,
``zip_member_bytes``, ``zip_total_bytes``, ``zip_ratio``). Each is read when used, so an override in the
environment counts (and a malformed one is a usage error, exit 2)."""

from __future__ import annotations

from .. import budget

MIB = budget.MIB
_KEYS = {
    "MAX_FILE_BYTES": "check_bytes",  # the file on disk, .docx or PDF
    "MAX_PDF_PAGES": "check_pages",
    "MAX_PARAGRAPHS": "check_paragraphs",
    "MAX_ZIP_MEMBERS": "zip_members",  # parts in a .docx package
    "MAX_PART_BYTES": "zip_member_bytes",  # one uncompressed part
    "MAX_TOTAL_BYTES": "zip_total_bytes",  # every part read, uncompressed
    "MAX_RATIO": "zip_ratio",  # uncompressed / compressed of one part: XML compresses ~10×, a bomb ~1000×
}


def __getattr__(name: str) -> int:
    key = _KEYS.get(name)
    if key is None:
        raise AttributeError(name)
    return budget.limit(key)

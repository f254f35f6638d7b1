"""Budgets for untrusted documents given to ``quyche check`` (one place, so that a shared budget module can
replace it): a .docx is a zip that could be a bomb, a PDF could have thousands of pages."""

from __future__ import annotations

import os

MIB = 1024 * 1024


def _env(name: str, default: int) -> int:
    try:
        return max(int(os.environ.get(name, default)), 1)
    except ValueError:
        return default


MAX_FILE_BYTES = _env("QUYCHE_CHECK_MAX_BYTES", 50 * MIB)  # the file on disk, .docx or PDF
MAX_ZIP_MEMBERS = 2000  # parts in a .docx package
MAX_PART_BYTES = 64 * MIB  # one uncompressed part (document.xml of a long text is a few MB)
MAX_TOTAL_BYTES = 256 * MIB  # every part read, uncompressed
MAX_RATIO = 200  # uncompressed / compressed of one part: XML compresses ~10×, a bomb ~1000×
MAX_PDF_PAGES = _env("QUYCHE_CHECK_MAX_PAGES", 200)
MAX_PARAGRAPHS = 100_000

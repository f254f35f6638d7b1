"""Budgets for untrusted documents given to ``quyche check``: a .docx is a zip that could be a bomb, a PDF could
have thousands of pages. The overridable ones come from the shared policy, budget.py."""

from __future__ import annotations

from .. import budget

MIB = budget.MIB

# The overridable budgets live in budget.py (validated overrides: QUYCHE_CHECK_MAX_BYTES=abc is a usage
# error, exit 2, not a silent default); the structural ones below are fixed.
MAX_FILE_BYTES = budget.limit("check_bytes")  # the file on disk, .docx or PDF
MAX_ZIP_MEMBERS = 2000  # parts in a .docx package
MAX_PART_BYTES = 64 * MIB  # one uncompressed part (document.xml of a long text is a few MB)
MAX_TOTAL_BYTES = 256 * MIB  # every part read, uncompressed
MAX_RATIO = 200  # uncompressed / compressed of one part: XML compresses ~10×, a bomb ~1000×
MAX_PDF_PAGES = budget.limit("check_pages")
MAX_PARAGRAPHS = 100_000

"""Every rule, in reading order of the page. One function per group (rules_page, rules_text)."""

from __future__ import annotations

from .context import Context
from .rules_numbering import check_numbering
from .rules_page import check_fonts, check_page, check_pdf_body_size, check_sizes, check_weights
from .rules_text import check_body, check_date, check_header, check_noi_nhan, check_number, check_signatures

RULE_GROUPS = (
    check_page,
    check_header,
    check_number,
    check_date,
    check_body,
    check_numbering,
    check_signatures,
    check_noi_nhan,
    check_fonts,
    check_sizes,
    check_pdf_body_size,
    check_weights,
)


def run_rules(c: Context) -> None:
    for group in RULE_GROUPS:
        group(c)

"""Every rule, in reading order of the page. One function per group (rules_page, rules_text)."""

from __future__ import annotations

from .context import Context
from .rules_joint import check_joint_header
from .rules_layout import check_layout
from .rules_lines import check_rule_lengths
from .rules_numbering import check_numbering
from .rules_page import check_fonts, check_page, check_pdf_body_size, check_sizes, check_weights
from .rules_pages import check_page_numbers
from .rules_pdf import check_pdfa, check_signature_fields
from .rules_text import check_body, check_date, check_header, check_noi_nhan, check_number, check_signatures
from .rules_words import check_words

RULE_GROUPS = (
    check_page,
    check_page_numbers,
    check_header,
    check_joint_header,
    check_rule_lengths,
    check_number,
    check_date,
    check_body,
    check_numbering,
    check_words,
    check_layout,
    check_signatures,
    check_noi_nhan,
    check_fonts,
    check_sizes,
    check_pdf_body_size,
    check_weights,
    check_pdfa,
    check_signature_fields,
)


def run_rules(c: Context) -> None:
    for group in RULE_GROUPS:
        group(c)

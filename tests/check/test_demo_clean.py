"""Compose and check never drift apart: every example quyche renders (.docx and PDF) checks clean against the
profile compose used, and the checker reads the regime's profile and the kind from the document itself."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import rendered

from quyche.check import check_file

from conftest import example_files


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", [p.stem for p in example_files()])
def test_demo_output_checks_clean(name: str, fmt: str) -> None:
    item = rendered()[name]
    result = check_file(item[fmt])
    assert result.failure is None
    assert result.findings == [], [(f.rule, f.where, f.message) for f in result.findings]
    assert result.ident.profile == item["profile"]  # regime read from the header, as compose chose it
    assert result.ident.kind == item["kind"]  # kind read from the type name, number or Kính gửi
    if fmt == "pdf":  # what only a PDF shows, read back: the renderer's PDF/A-2b claim and one empty field a signer
        assert result.sheet.pdfa == "2B"
        assert [signed for _, signed in result.sheet.signature_fields] == [False] * item["signers"]

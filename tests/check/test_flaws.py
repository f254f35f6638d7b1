"""Flaws planted the way clerks make them — python-docx edits on every example quyche renders, one flaw kind
at a time (flaws.py) — are each found under their exact profile rule id, and nothing else is reported; the
flaws ``--sua`` may fix are gone from the fixed file, which checks clean."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docx import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import rendered, workdir
from flaws import FIXABLE, FLAWS

from quyche.check import check_file
from quyche.check.fixes import apply_fixes

from conftest import example_files

EXAMPLES = [p.stem for p in example_files()]


def plant(name: str, flaw: str) -> tuple[Path, str]:
    source = rendered()[name]["docx"]
    system = check_file(source).ident.lead
    doc = Document(str(source))
    rule = FLAWS[flaw](doc, system)
    if rule is None:
        pytest.skip(f"{name} has nothing to plant {flaw} on")
    out = workdir() / "flaws" / f"{name}-{flaw}.docx"
    out.parent.mkdir(exist_ok=True)
    doc.save(str(out))
    return out, rule


@pytest.mark.parametrize("flaw", sorted(FLAWS))
@pytest.mark.parametrize("name", EXAMPLES)
def test_planted_flaw_is_found_with_its_rule(name: str, flaw: str) -> None:
    path, rule = plant(name, flaw)
    result = check_file(path)
    assert result.failure is None
    assert {f.rule for f in result.findings} == {rule}, [(f.rule, f.where, f.message) for f in result.findings]


@pytest.mark.parametrize("flaw", sorted(FIXABLE))
@pytest.mark.parametrize("name", EXAMPLES)
def test_fixed_file_checks_clean(name: str, flaw: str) -> None:
    path, rule = plant(name, flaw)
    result = check_file(path)
    data, applied = apply_fixes(result)
    assert any(f"[{rule}]" in line or line.startswith(rule) for line in applied), applied
    fixed = path.with_name(path.stem + "-da-sua.docx")
    fixed.write_bytes(data)
    again = check_file(fixed)
    assert again.clean, [(f.rule, f.where, f.message) for f in again.findings]
    Document(str(fixed))  # python-docx, an independent reader, still opens it

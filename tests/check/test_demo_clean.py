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
    if fmt not in item:  # a document laid out by its own Word template (mau_word) has no built-in-layout PDF
        pytest.skip("mau_word: .docx only (mau-word-khong-pdf)")
    result = check_file(item[fmt])
    assert result.failure is None
    assert result.findings == [], [(f.rule, f.where, f.message) for f in result.findings]
    assert result.ident.profile == item["profile"]  # regime read from the header, as compose chose it
    assert result.ident.kind == item["kind"]  # kind read from the type name, number or Kính gửi
    if fmt == "pdf":  # what only a PDF shows, read back: the renderer's PDF/A-2b claim and one empty field a signer
        assert result.sheet.pdfa == "2B"
        assert [signed for _, signed in result.sheet.signature_fields] == [False] * item["signers"]


def test_batch_outputs_check_clean(tmp_path: Path) -> None:
    """`make demo` also runs `quyche batch` over data/bo/: every document of those batches (a year's
    programmes and invitations with many partners, Hội and Sở among them) checks clean, read from the folder."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "out"
    batches = sorted(str(p) for p in (root / "data" / "bo").glob("*.yaml"))
    made = subprocess.run(
        [sys.executable, "-m", "quyche", "batch", *batches, "-o", str(out), "--so-dang-ky", str(out / "so.sqlite3")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) >= 30
    r = subprocess.run([sys.executable, "-m", "quyche", "check", *map(str, sorted(out.iterdir()))],
                       capture_output=True, text=True, timeout=600)  # fmt: skip
    assert r.returncode == 0, r.stdout
    assert r.stdout.count(": đúng thể thức, không có lỗi.") == len(docs)

"""``quyche mau kiem-tra``: each kind of mistake in a real Word template, found and located by the
paragraph's text and the table cell; the starter template of every kind passes and renders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from docx import Document

import quyche
import quyche.pipeline
from mau_word_helpers import ROOT, document_using, make_template
from quyche.check import check_file
from quyche.schema import KINDS
from quyche.word.lint import lint

from support import quyche as run_cli


def _codes(path: Path, kind: str | None = "giay_moi") -> list[tuple[str, str, str]]:
    return [(d.code, d.severity, d.message) for d in lint(str(path), kind)]


def test_a_tag_split_across_runs_is_a_warning_naming_the_paragraph(tmp_path: Path) -> None:
    doc = Document()
    p = doc.add_paragraph("Số: ")
    p.add_run("{{ so_").bold = True
    p.add_run("ky_hieu }}")
    doc.save(tmp_path / "mau.docx")
    found = _codes(tmp_path / "mau.docx")
    assert [(c, s) for c, s, _ in found] == [("mau-word-the-tach", "warning")]
    assert "«Số: {{ so_ky_hieu }}»" in found[0][2] and "2 đoạn chữ" in found[0][2]
    # it still works: docxtpl joins the runs
    out = quyche.render(document_using(tmp_path, "mau.docx")).outputs["docx"]
    assert Document(io.BytesIO(out)).paragraphs[0].text == "Số: Số 05-GM/BTGHU"


def test_a_tag_across_paragraphs_is_an_error(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["Kính gửi {{ so_", "ky_hieu }}"])
    found = _codes(tmp_path / "mau.docx")
    assert ("mau-word-the-tach", "error") in [(c, s) for c, s, _ in found]
    assert any("«Kính gửi {{ so_»" in m for _, _, m in found)


def test_unbalanced_blocks(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["{% if so_ky_hieu %}Có số", "Thừa {% endfor %}"])
    found = [(c, m) for c, _, m in _codes(tmp_path / "mau.docx")]
    assert [c for c, _ in found].count("mau-word-khoi-le") == 2
    assert any("«Thừa {% endfor %}»" in m and "endfor" in m for _, m in found)
    assert any("«{% if so_ky_hieu %}Có số»" in m for _, m in found)


def test_row_loop_outside_a_table(tmp_path: Path) -> None:
    make_template(
        tmp_path / "mau.docx",
        ["{%tr for k in nguoi_ky %}", "{{ k.ho_ten }}", "{%tr endfor %}"],
        table=[["{%tr for k in nguoi_ky %}"], ["{{ k.ho_ten }}"], ["{%tr endfor %}"]],
    )
    found = [(c, m) for c, _, m in _codes(tmp_path / "mau.docx")]
    misplaced = [m for c, m in found if c == "mau-word-tr-sai"]
    assert len(misplaced) == 2, found  # the two in body paragraphs; the table's are in place
    assert all("(bảng " not in m for m in misplaced)


def test_unknown_variable_located_in_its_cell(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["{{ su_kien }} {{ so_ky_hieu }}"], table=[["a", "Gửi {{ ten_doi_tac }}"]])
    found = _codes(tmp_path / "mau.docx")
    assert [(c, s) for c, s, _ in found] == [("mau-word-bien-la", "warning")]
    assert "ten_doi_tac" in found[0][2] and "bảng 1, dòng 1, ô 2" in found[0][2]
    assert _codes(tmp_path / "mau.docx", kind=None) == [], "without --loai names are not checked"


def test_cli_exit_codes(tmp_path: Path) -> None:
    make_template(tmp_path / "sai.docx", ["{% if x %}"])
    r = run_cli("mau", "kiem-tra", str(tmp_path / "sai.docx"))
    assert r.returncode == 1 and "[mau-word-khoi-le]" in r.stderr
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 not a zip")
    r = run_cli("mau", "kiem-tra", str(tmp_path / "hong.docx"))
    assert r.returncode == 1 and "[mau-word-loi]" in r.stderr
    r = run_cli("mau", "tao", "khong_co", "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and not (tmp_path / "x.docx").exists()
    restyled = tmp_path / "sai.docx"
    before = restyled.read_bytes()
    r = run_cli("mau", "tao", "giay_moi", "-o", str(restyled))
    assert r.returncode == 1 and restyled.read_bytes() == before, "an existing template is kept"
    r = run_cli("mau", "tao", "giay_moi", "-o", str(restyled), "--force")
    assert r.returncode == 0 and restyled.read_bytes() != before


def _example_of(kind: str) -> Path | None:
    for path in sorted((ROOT / "data").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("loai") == kind and "mau_word" not in data:
            return path
    return None


@pytest.mark.parametrize("kind", list(KINDS))
def test_starter_of_every_kind_passes_the_lint_renders_and_checks_clean(tmp_path: Path, kind: str) -> None:
    """``mau tao`` → ``mau kiem-tra`` → render the kind's example through it → ``quyche check`` finds nothing,
    the same check the built-in documents pass (tests/check/test_demo_clean.py)."""
    example = _example_of(kind)
    system = "nha_nuoc"
    if example is not None and quyche.pipeline.build(example).document.profile_id.startswith("hd"):
        system = "dang"
    target = tmp_path / f"{kind}.docx"
    r = run_cli("mau", "tao", kind, "-o", str(target), "--he-thong", system)
    assert r.returncode == 0, r.stderr
    r = run_cli("mau", "kiem-tra", str(target), "--loai", kind)
    assert r.returncode == 0 and "dùng được" in r.stdout, r.stderr
    if example is None:
        pytest.skip(f"no example of {kind} in data/")
    data = quyche.render(document_using(tmp_path, target.name, source=example)).outputs["docx"]
    out = Document(io.BytesIO(data))
    texts = [p.text for p in out.paragraphs]
    assert not any("{{" in t or "{%" in t for t in texts)
    assert out.tables, "the header sub-document is there"
    (tmp_path / "out.docx").write_bytes(data)
    result = check_file(tmp_path / "out.docx")
    assert result.failure is None
    assert result.findings == [], [(f.rule, f.message) for f in result.findings]

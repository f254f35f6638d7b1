"""Word templates in templates/: open, carry every role style, and restyling a style in them changes
the output (the template's style wins) while an untouched template changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

import quyche

from conftest import DATA, ROOT
from outline import docx_outline, iter_paragraphs

TEMPLATES = {
    "quyche-nd30-2020.docx": DATA / "quy-che-dak-lak-2017.yaml",
    "quyche-hd36-2018.docx": DATA / "quy-che-quang-tri-2023.yaml",
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_has_role_styles(name: str) -> None:
    doc = Document(str(ROOT / "templates" / name))
    names = {s.name for s in doc.styles}
    assert {"Điều", "Chương", "Đoạn văn", "Cơ quan ban hành", "Nơi nhận – nơi", "Trích yếu", "Tên loại"} <= names
    assert not any(n.startswith("QC ") for n in names)  # a clerk reads the names: no code names left


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_untouched_template_changes_nothing(name: str) -> None:
    example = TEMPLATES[name]
    plain = docx_outline(quyche.render(example).outputs["docx"])
    templated = docx_outline(quyche.render(example, template=ROOT / "templates" / name).outputs["docx"])
    assert templated == plain


def test_restyled_template_wins(tmp_path: Path) -> None:
    doc = Document(str(ROOT / "templates" / "quyche-nd30-2020.docx"))
    doc.styles["Điều"].font.size = Pt(13)
    doc.styles["Điều"].font.italic = True
    restyled = tmp_path / "mau.docx"
    doc.save(str(restyled))
    out = docx_outline(quyche.render(DATA / "quy-che-dak-lak-2017.yaml", template=restyled).outputs["docx"])
    dieu = [p for p in iter_paragraphs(out) if p.get("role") == "dieu"]
    assert dieu and all(p["size"] == 13 and p["italic"] is True for p in dieu)
    body = [p for p in iter_paragraphs(out) if p.get("role") == "doan"]
    assert all(p["size"] == 14 for p in body)
    assert Document(io.BytesIO(restyled.read_bytes())).paragraphs  # the template itself still opens


def test_template_with_the_older_qc_names_still_maps(tmp_path: Path) -> None:
    """A template restyled before the styles got Vietnamese names ("QC dieu", "QC doan") still takes effect:
    its "QC dieu" style is used for the articles, and no second "Điều" style is added beside it."""
    doc = Document(str(ROOT / "tests" / "fixtures" / "mau-ten-cu-qc.docx"))
    assert "QC dieu" in {s.name for s in doc.styles}
    doc.styles["QC dieu"].font.size = Pt(12)
    doc.styles["QC dieu"].font.bold = False
    restyled = tmp_path / "mau-cu.docx"
    doc.save(str(restyled))
    data = quyche.render(DATA / "quy-che-dak-lak-2017.yaml", template=restyled).outputs["docx"]
    out = docx_outline(data)
    dieu = [p for p in iter_paragraphs(out) if p.get("role") == "dieu"]
    assert dieu and all(p["style"] == "QC dieu" and p["size"] == 12 and p["bold"] is False for p in dieu)
    names = [s.name for s in Document(io.BytesIO(data)).styles]
    assert "Điều" not in names and names.count("QC dieu") == 1

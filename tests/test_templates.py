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
    assert {"QC dieu", "QC chuong", "QC doan", "QC co_quan_ban_hanh", "QC noi_nhan_muc"} <= names


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_untouched_template_changes_nothing(name: str) -> None:
    example = TEMPLATES[name]
    plain = docx_outline(quyche.render(example).outputs["docx"])
    templated = docx_outline(quyche.render(example, template=ROOT / "templates" / name).outputs["docx"])
    assert templated == plain


def test_restyled_template_wins(tmp_path: Path) -> None:
    doc = Document(str(ROOT / "templates" / "quyche-nd30-2020.docx"))
    doc.styles["QC dieu"].font.size = Pt(13)
    doc.styles["QC dieu"].font.italic = True
    restyled = tmp_path / "mau.docx"
    doc.save(str(restyled))
    out = docx_outline(quyche.render(DATA / "quy-che-dak-lak-2017.yaml", template=restyled).outputs["docx"])
    dieu = [p for p in iter_paragraphs(out) if p.get("style") == "QC dieu"]
    assert dieu and all(p["size"] == 13 and p["italic"] is True for p in dieu)
    body = [p for p in iter_paragraphs(out) if p.get("style") == "QC doan"]
    assert all(p["size"] == 14 for p in body)
    assert Document(io.BytesIO(restyled.read_bytes())).paragraphs  # the template itself still opens

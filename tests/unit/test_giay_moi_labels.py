"""Giấy mời (NĐ 30/2020, Phụ lục III, Mẫu 1.7): the field labels "Tới dự:", "Chủ trì:", "Thời gian:",
"Địa điểm:" are printed regular like their values — in the .docx and in the PDF — by a profile rule."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

import quyche
from quyche.profile import load_profile

from conftest import DATA

INVITATION = DATA / "giay-moi-tien-lu-2019.yaml"
LABELS = ("Tới dự: ", "Chủ trì: ", "Thời gian: ", "Địa điểm: ")


def label_runs(docx: bytes) -> list[tuple[str, bool | None]]:
    out = []
    for p in open_docx(io.BytesIO(docx)).paragraphs:
        if p.style is not None and p.style.name == "Giấy mời – mục":
            first = p.runs[0]
            out.append((first.text, first.bold))
    return out


def test_rule_is_cited() -> None:
    rule = load_profile("nd30-2020").rule("giay_moi.nhan.dam")
    assert rule.value is False and "Mẫu 1.7" in rule.source
    assert load_profile("hd36-2018").get("giay_moi.nhan.dam") is False  # Party invitations inherit it


def test_labels_regular_in_the_docx() -> None:
    runs = label_runs(quyche.render(INVITATION).outputs["docx"])
    assert [text for text, _ in runs] == list(LABELS)
    assert all(not bold for _, bold in runs)


def test_labels_regular_in_the_pdf() -> None:
    pytest.importorskip("quyche.render.pdf")
    data = quyche.render(INVITATION, formats=("pdf",)).outputs["pdf"]
    fonts: dict[str, str] = {}

    def visit(text, cm, tm, font_dict, font_size) -> None:
        text = " ".join(text.split())  # justified lines carry wider spaces
        for label in LABELS:
            if text.startswith(label.strip()) and font_dict:
                fonts[label] = str(font_dict.get("/BaseFont"))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    assert set(fonts) == set(LABELS), fonts
    assert all("Bold" not in name for name in fonts.values()), fonts


def test_the_rule_decides(tmp_path: Path) -> None:
    text = INVITATION.read_text(encoding="utf-8") + "the_thuc_tuy_chinh:\n  giay_moi.nhan.dam: true\n"
    path = tmp_path / "gm.yaml"
    path.write_text(text, encoding="utf-8")
    runs = label_runs(quyche.render(path).outputs["docx"])
    assert runs and all(bold for _, bold in runs)
